// The BullMQ dashboard itself (bull-board), built by the first request for /admin/queues (./queues-board.ts
// guards it): bull-board brings lodash, valibot and ejs, which a gateway whose board is never opened need not
// hold. Jobs carry citizens' messages: the board shows their data and results with phone, ID-card and
// bank-card numbers masked (src/core/mask.ts).
import type express from 'express';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { maskPersonalData } from '../../core/mask.js';
import { offlineBoardViews } from './queues-board-view.js';
import { ASSET_VERSION } from './layout.js';

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

/** The board's pages and API, for mounting at `basePath`. */
export function boardRouter(queues: Queue[], basePath: string): express.Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(basePath);
  createBullBoard({
    queues: queues.map(maskedAdapter),
    serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: '接诉即办 · 队列', miscLinks: [{ text: '返回管理台', url: '/admin' }], hideDocsLink: true } },
  });
  adapter.setViewsPath(offlineBoardViews({ script: `/admin/static/queues-a11y.js?v=${ASSET_VERSION}`, stylesheet: `/admin/static/queues-board.css?v=${ASSET_VERSION}` }));
  return adapter.getRouter() as express.Router;
}
