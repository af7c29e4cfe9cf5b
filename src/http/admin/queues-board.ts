// The BullMQ dashboard (bull-board) at /admin/queues, behind the console login. Its UI needs inline styles, so
// this path alone gets a relaxed Content-Security-Policy; scripts stay 'self', and its page shell is served
// without the web font it asks for from another host (./queues-board-view.ts). Its own API calls carry no CSRF
// token, so changes there are guarded by SameSite=Strict plus an Origin check (requireSameOrigin) instead. Jobs
// carry citizens' messages: the board shows their data and results with phone, ID-card and bank-card numbers
// masked (src/core/mask.ts), and so refuses to write data back (editing a job's data, adding a job). The board
// itself is ./queues-board-app.ts, loaded by the first request that passes these checks.
import express from 'express';
import type { Queue } from 'bullmq';
import { sendError } from '../http-errors.js';
import { sessionOf } from './require-session.js';

export const QUEUES_PATH = '/admin/queues';

const BOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'self'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** The board's routes that write job data it only ever showed masked. */
const WRITES_DATA = /^\/api\/queues\/[^/]+\/(?:add|[^/]+\/update-data)$/;

export function queuesBoard(queues: Queue[]): express.Router {
  let board: Promise<void> | undefined;
  const r = express.Router();
  r.use(QUEUES_PATH, (req, res, next) => {
    if (!sessionOf(res)) {
      if (req.method === 'GET' && !req.path.startsWith('/api')) return res.redirect(302, `/admin/login?next=${encodeURIComponent(QUEUES_PATH)}`);
      return sendError(res, 401, 'unauthorized', 'log in at /admin/login');
    }
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      const origin = req.get('origin');
      let ok = false;
      try {
        ok = Boolean(origin) && new URL(origin!).host === req.get('host');
      } catch {
        ok = false;
      }
      if (!ok) return sendError(res, 403, 'csrf', 'changes to the queues must come from the console itself');
      if (WRITES_DATA.test(req.path)) return sendError(res, 403, 'masked_data', 'job data is shown masked here; it cannot be edited or copied from the board');
    }
    res.setHeader('Content-Security-Policy', BOARD_CSP);
    next();
  });
  // Once loaded, the board's router joins this router's stack (after the line below, which then only passes
  // requests on), so that it is an ordinary part of the app, listed with its routes like any other.
  r.use(QUEUES_PATH, (_req, _res, next) => {
    board ??= import('./queues-board-app.js').then((m) => {
      r.use(QUEUES_PATH, m.boardRouter(queues, QUEUES_PATH));
    });
    board.then(() => next(), next);
  });
  return r;
}
