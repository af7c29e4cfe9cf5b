// The express app: security headers, CORS for the portal's origins, the widget and demo page, health and
// metrics, and a JSON 404/500 for the API. Channel and API routers are mounted by the gateway.
import express from 'express';
import helmet from 'helmet';
import cors from 'cors';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendError } from './http-errors.js';
import type { Logger } from '../log.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WIDGET_DIR = join(ROOT, 'channels', 'webchat', 'widget');

export function createHttpApp(opts: { corsOrigins: string[]; log: Logger }): { app: express.Express; api: express.Router } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
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
    }),
  );
  // Only the configured portal origins may call the web chat API from a browser.
  app.use('/api/webchat', cors({ origin: opts.corsOrigins.length ? opts.corsOrigins : false, methods: ['GET', 'POST'] }));
  app.get('/', (_req, res) => res.sendFile(join(WIDGET_DIR, 'demo.html')));
  app.use('/widget', express.static(WIDGET_DIR, { maxAge: '5m', index: false }));
  const api = express.Router();
  app.use(api);
  return { app, api };
}

/** Mounted last: JSON 404 for unknown API paths, and a 500 that logs the error without leaking it. */
export function finishHttpApp(app: express.Express, log: Logger): void {
  app.use('/api', (_req, res) => sendError(res, 404, 'not_found', 'no such API endpoint'));
  app.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    log.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : err, path: req.path }, 'request failed');
    if (res.headersSent) return res.end();
    sendError(res, 500, 'internal', 'internal error; the request was not completed');
  });
}
