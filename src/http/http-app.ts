// The express app: security headers, CORS for the portal's origins, the widget and demo page, health and
// metrics, and a JSON 404/500 for the API. Channel and API routers are mounted by the gateway.
import express from 'express';
import helmet from 'helmet';
import cors from 'cors';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { packagePath } from '../package-root.js';
import { refuseBadInput, sendError } from './http-errors.js';
import { RawPostRoutes, type Middleware } from './raw-post.js';
import type { Logger } from '../log.js';
import type { TrustProxy } from '../config.js';
import { compileTrust } from './trust-proxy.js';

export const WIDGET_DIR = packagePath('channels', 'webchat', 'widget');

const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", 'ws:', 'wss:'],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'self'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  },
  // The widget script is loaded by the city's portal pages on other origins.
  crossOriginResourcePolicy: { policy: 'cross-origin' },
});

type Headers = [name: string, value: string | number | readonly string[]][];

/**
 * What a helmet middleware sets on a response, captured once at start by running it on a real (unsent)
 * response: every option above is a constant (no per-request nonce or function directive), so helmet sets the
 * very same headers on every response, and setting the captured list gives each response identical headers
 * without walking helmet's dozen chained middlewares per request. Undefined when two different requests get
 * different headers (a CSP nonce, say): then helmet runs per request.
 */
function fixedHeaders(middleware: Middleware): Headers | undefined {
  const capture = (url: string) => {
    const req = new IncomingMessage(new Socket());
    Object.assign(req, { url, method: 'GET', headers: { host: 'capture.invalid' } });
    const res = new ServerResponse(req);
    let called = false;
    middleware(req, res, (err?: unknown) => {
      if (err) throw err;
      called = true;
    });
    return called ? res.getHeaderNames().map((name): Headers[number] => [name, res.getHeader(name)!]) : undefined;
  };
  const headers = capture('/');
  return headers && JSON.stringify(headers) === JSON.stringify(capture('/api/other?x=1')) ? headers : undefined;
}

function apply(res: ServerResponse, headers: Headers): void {
  for (const [name, value] of headers) res.setHeader(name, value);
}

/** The web chat API's paths: the URL path matched as the router matches `app.use('/api/webchat', …)`. */
const WEBCHAT_API = /^\/api\/webchat(?:\/|$)/i;

/**
 * Of helmet's headers, the ones that mean something on the web chat API's JSON answers, which only the
 * widget's script reads (fetch, never a page): nosniff (JSON is never sniffed into HTML or script),
 * Strict-Transport-Security (it is per host, any response sets it) and the Cross-Origin-Resource-Policy that
 * lets portal pages on other origins use the gateway. The others govern documents — how a page may run script
 * or be framed (CSP, X-Frame-Options), open windows (COOP), send referrers, prefetch DNS, be opened by IE or
 * Flash — and no document is ever built from these answers, so they are not set and sent with every citizen's
 * message. Every page, script, console and other API route keeps helmet's full set, CSP included.
 */
const WEBCHAT_API_HEADERS = new Set(['x-content-type-options', 'strict-transport-security', 'cross-origin-resource-policy']);

/**
 * The security headers a response gets by its URL path, and for the web chat API's paths CORS as
 * app.use('/api/webchat', cors(…)) applied it — one function, so that a message is not walked through two more
 * router layers, nor has its URL rewritten around a mounted one (and parsed again), on every request. Used by
 * the app for every request and by the raw POST door (raw-post.ts), which never reaches express.
 */
function headersAndCors(corsOrigins: string[]): (path: string) => Middleware {
  // Only the configured portal origins may call the web chat API from a browser.
  const webchatCors = cors({ origin: corsOrigins.length ? corsOrigins : false, methods: ['GET', 'POST'] });
  const page = fixedHeaders(securityHeaders);
  if (!page) {
    const webchatApi: Middleware = (req, res, next) => securityHeaders(req, res, (err?: unknown) => (err ? next(err) : webchatCors(req, res, next)));
    return (path) => (WEBCHAT_API.test(path) ? webchatApi : securityHeaders);
  }
  const webchatHeaders = page.filter(([name]) => WEBCHAT_API_HEADERS.has(name.toLowerCase()));
  const webchatApi: Middleware = (req, res, next) => {
    apply(res, webchatHeaders);
    webchatCors(req, res, next);
  };
  const pageHeaders: Middleware = (_req, res, next) => {
    apply(res, page);
    next();
  };
  return (path) => (WEBCHAT_API.test(path) ? webchatApi : pageHeaders);
}

/** What the app answers when a handler failed: logged with its stack, a 500 that leaks nothing. */
function internalError(log: Logger, err: unknown, path: string, res: ServerResponse): void {
  log.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : err, path }, 'request failed');
  if (res.headersSent) return void res.end();
  sendError(res, 500, 'internal', 'internal error; the request was not completed');
}

/**
 * The app with its security headers and CORS. The gateway then fills `api` and lets the channels add their
 * routes to `channels` (the app's own router) and their hot JSON POSTs to `raw` (served ahead of express by the
 * gateway's server, and routed in the app to the same handler), and finishHttpApp mounts the rest. Channel routes go straight on the app, ahead of
 * everything else: they are most of the traffic (every citizen's message), each lives under its own path
 * (/api/webchat/…, /api/channels/…) that no API or console route shares, so their place changes no match;
 * behind the API routers a message would walk past every router mounted without a path, each handing it on
 * through a setImmediate.
 */
export function createHttpApp(opts: { corsOrigins: string[]; trustProxy: TrustProxy; log: Logger }): { app: express.Express; api: express.Router; channels: express.Router; raw: RawPostRoutes } {
  const app = express();
  app.disable('x-powered-by');
  // Only the proxies TRUST_PROXY names may say who the client is (default: none, the socket's peer is).
  const trust = compileTrust(opts.trustProxy);
  app.set('trust proxy', trust);
  const headersFor = headersAndCors(opts.corsOrigins);
  app.use((req, res, next) => headersFor(req.path)(req, res, next));
  const raw = new RawPostRoutes({
    trustProxy: trust,
    router: app.router,
    before: (req, res, next) => headersFor(req.url ?? '/')(req, res, next),
    onError: (err, post) => internalError(opts.log, err, post.req.url ?? '', post.res),
  });
  return { app, api: express.Router(), channels: app.router, raw };
}

/**
 * Mounted after the channels' routes: the widget and demo page, the API and console routers, then a JSON 404
 * for unknown API paths and a 500 that logs the error without leaking it.
 */
export function finishHttpApp(app: express.Express, api: express.Router, log: Logger): void {
  app.get('/', (_req, res) => res.sendFile(join(WIDGET_DIR, 'demo.html')));
  app.use('/widget', express.static(WIDGET_DIR, { maxAge: '5m', index: false }));
  app.use(api);
  app.use('/api', (_req, res) => sendError(res, 404, 'not_found', 'no such API endpoint'));
  // Input that could not be read (a body that is not JSON, a path that is not percent-encoded UTF-8) is a 4xx
  // wherever it is found, whichever router found it; only a real failure is a 500.
  app.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (!res.headersSent && refuseBadInput(err, res)) return;
    internalError(log, err, req.path, res);
  });
}
