// The hot path's own door: POST routes the node:http server answers before express sees the request. Every
// citizen's web chat message is such a POST, and express's generic machinery (router layers, body-parser's
// content negotiation, req/res prototype swapping, the lazy req.ip getter) cost as much CPU per message as
// everything the message itself needs: an express app with express.json and one route spent 0.23 ms per
// request where node:http reading and parsing the same body spent 0.05 ms (bench, same machine, same run).
//
// Only the plain case is taken here: exactly the path, no query string, a JSON content type in UTF-8 and no
// content encoding. Anything else (gzip bodies, other charsets, odd paths) falls through to the express route
// registered for the same path, which answers it as before — so this door changes how fast a message is
// answered, never what it is answered.
import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import { compileTrust, type TrustFunction } from './trust-proxy.js';
import type { JsonPost, JsonPostHandler } from '../core/channel-adapter.js';

/** A body that could not be read as JSON, with the same `type` body-parser gives (bodyErrorHandler reads it). */
export type BodyError = NonNullable<JsonPost['bodyError']>;

/** A connect-style middleware on node:http's own request and response (what express's app.use takes too). */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export interface RawPostOptions {
  /** Which proxies are believed (compileTrust), as express's `trust proxy`, so `ip` is what req.ip would have been. */
  trustProxy: number | string | string[] | TrustFunction;
  /** Runs first (the headers and CORS the app would have set); calling next(err) fails the request. */
  before: Middleware;
  /** A handler that threw: what express's final error handler does (log it, answer 500 without details). */
  onError(err: unknown, post: JsonPost): void;
}

/** `application/json`, optionally with charset utf-8 — what body-parser reads without transcoding. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

export class RawPostRoutes {
  private readonly routes = new Map<string, { handler: JsonPostHandler; limitBytes: number }>();
  private readonly trust: TrustFunction;

  constructor(private readonly opts: RawPostOptions) {
    this.trust = typeof opts.trustProxy === 'function' ? opts.trustProxy : compileTrust(opts.trustProxy);
  }

  /** Answers POSTs to exactly `path` whose body is plain JSON of at most `limitBytes`. */
  post(path: string, handler: JsonPostHandler, limitBytes: number): void {
    this.routes.set(path, { handler, limitBytes });
  }

  /** Takes the request when it is one of ours in the plain case (then true); false leaves it to express. */
  dispatch(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const route = this.routes.get(req.url ?? '');
    if (!route) return false;
    const type = req.headers['content-type'];
    const encoding = req.headers['content-encoding'];
    if (!type || !PLAIN_JSON.test(type) || (encoding && encoding.toLowerCase() !== 'identity')) return false;
    const post: JsonPost = { req, res, ip: proxyaddr(req, this.trust) };
    this.opts.before(req, res, (err) => {
      if (err) return this.opts.onError(err, post);
      readJson(req, route.limitBytes, (body, bodyError) => {
        if (bodyError) post.bodyError = bodyError;
        else post.body = body;
        route.handler(post).catch((e: unknown) => this.opts.onError(e, post));
      });
    });
    return true;
  }
}

/**
 * Reads the whole body and parses it as body-parser's strict JSON does: the top level must be an object or an
 * array, an empty body is `{}`, a byte-order mark is dropped. Over the limit (declared or counted) the rest is
 * not buffered; the answer still goes out once the request has been read, so the client sees it.
 */
export function readJson(req: IncomingMessage, limitBytes: number, done: (body: unknown, error?: BodyError) => void): void {
  const declared = Number(req.headers['content-length']);
  const tooLarge = (): BodyError => ({ type: 'entity.too.large', status: 413, limit: limitBytes });
  if (declared > limitBytes) {
    req.resume();
    req.once('end', () => done(undefined, tooLarge()));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limitBytes) over = true;
    if (!over) chunks.push(chunk);
  });
  req.once('end', () => {
    if (over) return done(undefined, tooLarge());
    let text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const first = /\S/.exec(text)?.[0];
    if (first === undefined) return done({});
    if (first !== '{' && first !== '[') return done(undefined, { type: 'entity.parse.failed', status: 400 });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return done(undefined, { type: 'entity.parse.failed', status: 400 });
    }
    done(body);
  });
}
