// The BullMQ dashboard (bull-board) at /admin/queues, behind the console login. Its UI needs inline styles, so
// this path alone gets a relaxed Content-Security-Policy; scripts stay 'self', and its page shell is served
// without the web font it asks for from another host (./queues-board-view.ts). Its own API calls carry no CSRF
// token, so changes there are guarded by SameSite=Strict plus an Origin check (requireSameOrigin) instead. Jobs
// carry citizens' messages: the board shows their data and results with phone, ID-card and bank-card numbers
// masked (src/core/mask.ts), and so refuses to write data back (edit,
import express from 'express';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { maskPersonalData } from '../../core/mask.js';
import { sendError } from '../http-errors.js';
import { sessionOf } from './require-session.js';
import { offlineBoardViews } from './queues-board-view.js';
import { ASSET_VERSION } from './layout.js';

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

/** A job's data or result as the board shows it: every string (and long number) with personal numbers masked. */
export function maskedView(value: unknown): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e9) return maskPersonalData(String(value));
  if (Array.isArray(value)) return value.map(maskedView);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskedView(v)]));
  return value;
}

function maskedAdapter(queue: Queue): BullMQAdapter {
  const adapter = new BullMQAdapter(queue);
  adapter.setFormatter('data', maskedView);
  adapter.setFormatter('returnValue', maskedView);
  return adapter;
}

/** The board's routes that write job data it only ever showed masked. */
const WRITES_DATA = /^\/api\/queues\/[^/]+\/(?:add|[^/]+\/update-data)$/;

export function queuesBoard(queues: Queue[]): express.Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: queues.map(maskedAdapter),
    serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: '接诉即办 · 队列', miscLinks: [{ text: '返回管理台', url: '/admin' }], hideDocsLink: true } },
  });
  adapter.setViewsPath(offlineBoardViews({ script: `/admin/static/queues-a11y.js?v=${ASSET_VERSION}`, stylesheet: `/admin/static/queues-board.css?v=${ASSET_VERSION}` }));
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
  r.use(QUEUES_PATH, adapter.getRouter() as express.Router);
  return r;
}
