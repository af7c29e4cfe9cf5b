// JSON POST routes the node:http server answers before express sees the request: a channel's hot path (every
// citizen's web chat message) skips express's generic machinery (router layers, req/res prototype swapping, the
// lazy req.ip getter), which costs as much CPU per message as everything the message itself needs.
//
// This is the only door to such a path. Every request for it — any case, a trailing slash or a query string, as
// express's router would match it — is answered here by the same handler. A plain body (JSON in UTF-8, no
// content encoding) is read by readJson below; any other is read by body-parser's json(), the one express.json
// is, so a gzip body, another charset or a non-JSON type is answered as express would have answered it. The
// express router gets a route for the path as well (route), so it lists and serves it like any other; it
// reaches the same handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import { json, type Router } from 'express';
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
  /** Where the paths are routed for express too (the app's router). */
  router?: Router;
  /** A handler that threw: what express's final error handler does (log it, answer 500 without details). */
  onError(err: unknown, post: JsonPost): void;
}

/** `application/json`, optionally with charset utf-8 — what readJson reads without transcoding. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

interface Route {
  handler: JsonPostHandler;
  limitBytes: number;
  /** body-parser's json() with the route's limit, for the bodies readJson does not read. */
  parser: Middleware;
}

/** The path as express's router compares it (case-insensitive, one trailing slash optional), without its query. */
function routeKey(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).toLowerCase();
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export class RawPostRoutes {
  private readonly routes = new Map<string, Route>();
  private readonly trust: TrustFunction;

  constructor(private readonly opts: RawPostOptions) {
    this.trust = typeof opts.trustProxy === 'function' ? opts.trustProxy : compileTrust(opts.trustProxy);
  }

  /** Answers every POST to `path`, with bodies of at most `limitBytes`; also routes it in `opts.router`. */
  post(path: string, handler: JsonPostHandler, limitBytes: number): void {
    const route: Route = { handler, limitBytes, parser: json({ limit: limitBytes }) as Middleware };
    this.routes.set(routeKey(path), route);
    // Express has already run the headers middleware for a request it routes: `before` is not run twice.
    this.opts.router?.post(path, (req, res) => this.serve(req, res, route));
  }

  /** Takes the request when it is a POST to one of its paths (then true); false leaves it to express. */
  dispatch(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const route = this.routes.get(routeKey(req.url ?? ''));
    if (!route) return false;
    this.opts.before(req, res, (err) => {
      if (err) return this.opts.onError(err, { req, res, ip: proxyaddr(req, this.trust) });
      this.serve(req, res, route);
    });
    return true;
  }

  private serve(req: IncomingMessage, res: ServerResponse, route: Route): void {
    const post: JsonPost = { req, res, ip: proxyaddr(req, this.trust) };
    const handle = (body: unknown, bodyError?: BodyError) => {
      if (bodyError) post.bodyError = bodyError;
      else post.body = body;
      route.handler(post).catch((e: unknown) => this.opts.onError(e, post));
    };
    const type = req.headers['content-type'];
    const encoding = req.headers['content-encoding'];
    if (type && PLAIN_JSON.test(type) && (!encoding || encoding.toLowerCase() === 'identity')) return readJson(req, route.limitBytes, handle);
    const parsing = req as IncomingMessage & { body?: unknown };
    route.parser(req, res, (err) => {
      if (!err) return handle(parsing.body);
      const bodyError = bodyErrorOf(err);
      if (bodyError) handle(undefined, bodyError);
      else this.opts.onError(err, post);
    });
  }
}

/** body-parser's error as a BodyError when it is the client's fault (a 4xx); undefined for the app's 500. */
function bodyErrorOf(err: unknown): BodyError | undefined {
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  if (typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return undefined;
  return { type: e.type ?? 'request.invalid', status: e.status, ...(e.limit !== undefined ? { limit: e.limit } : {}), ...(e.message ? { message: e.message } : {}) };
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
