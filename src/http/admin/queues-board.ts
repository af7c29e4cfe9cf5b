// The BullMQ dashboard (bull-board) at /admin/queues, behind the console login. Its UI needs inline styles
// (and asks for a web font), so this path alone gets a relaxed Content-Security-Policy; scripts stay 'self'.
// Its own API calls carry no CSRF token, so changes there are guarded by SameSite=Strict plus an Origin
// check (requireSameOrigin) instead.
import express from 'express';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { sendError } from '../http-errors.js';
import { sessionOf } from './require-session.js';

export const QUEUES_PATH = '/admin/queues';

const BOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
  "font-src 'self' data: https://fonts.gstatic.com",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'self'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export function queuesBoard(queues: Queue[]): express.Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: '接诉即办 · 队列' } },
  });
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
    }
    res.setHeader('Content-Security-Policy', BOARD_CSP);
    next();
  });
  r.use(QUEUES_PATH, adapter.getRouter() as express.Router);
  return r;
}
