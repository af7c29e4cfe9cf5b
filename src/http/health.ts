// Liveness (the process answers), readiness (Redis and the database answer) and Prometheus metrics. Metrics
// tell an outsider the traffic, the queues and the process's state, so they are not public: on the public port
// /metrics exists only with METRICS_TOKEN (as a bearer token), and METRICS_PORT serves them without a token
// on a listener bound to 127.0.0.1, for a scraper on the same host or a sidecar.
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { Redis } from 'ioredis';
import type { Database } from '../tickets/db.js';
import type { Metrics } from './metrics.js';
import { withTimeout } from '../core/with-timeout.js';
import { requireAdmin, type BearerToken } from './admin-auth.js';

async function sendMetrics(metrics: Metrics, res: express.Response | import('node:http').ServerResponse): Promise<void> {
  res.setHeader('Content-Type', metrics.registry.contentType);
  res.end(await metrics.registry.metrics());
}

export function healthRoutes(deps: { redis: Redis; database: Database; metrics: Metrics; metricsToken?: BearerToken }): express.Router {
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
  if (deps.metricsToken?.token) r.get('/metrics', requireAdmin(deps.metricsToken), (_req, res) => sendMetrics(deps.metrics, res));
  return r;
}

/** The METRICS_PORT listener: GET /metrics and nothing else, on 127.0.0.1 only. */
export async function startMetricsServer(metrics: Metrics, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendMetrics(metrics, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
      return;
    }
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain');
    res.end('only /metrics here\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}
