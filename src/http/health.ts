// Liveness (the process answers), readiness (Redis and the database answer) and Prometheus metrics.
import express from 'express';
import type { Redis } from 'ioredis';
import type { Database } from '../tickets/db.js';
import type { Metrics } from './metrics.js';
import { withTimeout } from '../core/with-timeout.js';

export function healthRoutes(deps: { redis: Redis; database: Database; metrics: Metrics }): express.Router {
  const r = express.Router();
  r.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  r.get('/readyz', async (_req, res) => {
    const check = async (fn: () => Promise<unknown>) => {
      try {
        await withTimeout(fn(), 1000, 'check');
        return 'ok';
      } catch (err) {
        return `down: ${(err as Error).message}`;
      }
    };
    const [redis, db] = await Promise.all([check(() => deps.redis.ping()), check(() => deps.database.ping())]);
    const ok = redis === 'ok' && db === 'ok';
    res.status(ok ? 200 : 503).json({ ok, redis, db });
  });
  r.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return r;
}
