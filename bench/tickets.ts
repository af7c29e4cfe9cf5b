// Complaints end to end: POSTed through the web chat API at N connections while the ticket workers run, and
// ticket rows counted in PostgreSQL every 100 ms until every acknowledged complaint has its row. Measured with
// the workers in three places — inside the gateway (`npm start`), in one `jiesu worker`, in two — because on
// a small machine where they run decides the figure; the best is the headline.
import pg from 'pg';
import { Queue } from 'bullmq';
import { forkChild, spawnJiesuWorker, type Child } from './children.js';
import { call } from './ipc.js';
import type { LoadResult } from './load-child.js';
import { cpuSecondsOf } from './proc.js';
import { gatewayEnv, isolate, REDIS_URL, uniqueTag, type Isolation } from './env.js';
import { connectionOptions } from '../src/queue/redis.js';
import { QUEUE_NAMES } from '../src/queue/queues.js';
import { sleep } from './stats.js';

export type WorkerPlacement = 'gateway' | 'worker1' | 'worker2';

export const PLACEMENT_LABEL: Record<WorkerPlacement, string> = {
  gateway: 'workers in the gateway process',
  worker1: '1 `jiesu worker` process',
  worker2: '2 `jiesu worker` processes',
};

export interface ComplaintRun {
  placement: WorkerPlacement;
  complaints: number;
  acked: number;
  non2xx: number;
  errors: number;
  /** Complaints acknowledged (HTTP 200, queued) per second at the API. */
  ackPerSecond: number;
  ackP99Ms: number;
  rows: number;
  /** Rows per second from the first request to the last row: the sustained end-to-end figure. */
  perSecond: number;
  /** Rows per second between 10% and 90% of the rows (start-up and tail left out). */
  steadyPerSecond: number;
  /** Seconds from the last acknowledgement until the last row. */
  drainAfterIntakeS: number;
  /** From the API receiving a complaint to its row (tickets.updated_at − created_at at insert). */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** CPU seconds each process used during the run: where the time goes. */
  cpuSeconds: Record<string, number>;
  stalled: boolean;
}

export interface TicketsOptions {
  /** The FAQ run's gateway (workers inside, RUN_WORKERS=1) and its database: the `npm start` shape. */
  inGateway: { child: Child<{ url: string; pid: number }>; iso: Isolation };
  load: Child<{ pid: number }>;
  placements: WorkerPlacement[];
  complaints: number;
  connections: number;
  /** Stop waiting when no row has been added for this long. */
  stallMs: number;
  redisPid?: number;
  log(line: string): void;
}

interface Target {
  placement: WorkerPlacement;
  gatewayUrl: string;
  databaseUrl: string;
  pids: Record<string, number>;
}

async function measure(t: Target, o: TicketsOptions): Promise<ComplaintRun> {
  const db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    const count = async () => (await db.query<{ n: number }>('select count(*)::int as n from tickets')).rows[0].n;
    const base = await count();
    const cpuBefore = Object.fromEntries(Object.entries(t.pids).map(([k, pid]) => [k, cpuSecondsOf(pid) ?? NaN]));
    const tag = uniqueTag('c');
    const t0 = Date.now();

    let load: LoadResult | undefined;
    let loadError: unknown;
    const loadDone = call<LoadResult>(
      o.load.process,
      'run',
      { url: t.gatewayUrl, connections: o.connections, amount: o.complaints, complaintPercent: 100, tag, timeoutSec: 10 },
      Math.max(120_000, o.complaints * 20),
    ).then((r) => (load = r), (err) => (loadError = err));

    // Poll the row count until every acknowledged complaint is a row (or nothing moves for stallMs).
    const timeline: { t: number; rows: number }[] = [];
    let lastChange = Date.now();
    let stalled = false;
    for (;;) {
      const rows = (await count()) - base;
      const now = Date.now();
      if (!timeline.length || rows !== timeline.at(-1)!.rows) lastChange = now;
      timeline.push({ t: now, rows });
      if (loadError) throw loadError;
      if (load && rows >= load.ok2xx) break;
      if (now - lastChange > o.stallMs) {
        stalled = true;
        break;
      }
      await sleep(100);
    }
    await loadDone;
    if (!load) throw loadError ?? new Error('load did not finish');
    const l: LoadResult = load;
    const rows = timeline.at(-1)!.rows;
    const firstAt = (n: number) => timeline.find((p) => p.rows >= n)?.t ?? timeline.at(-1)!.t;
    const tEnd = firstAt(rows);
    const start = Math.min(t0, l.startedAt);
    const lo = firstAt(Math.ceil(rows * 0.1));
    const hi = firstAt(Math.floor(rows * 0.9));

    const lat = await db.query<{ p50: number; p90: number; p99: number; max: number }>(
      `select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.9) within group (order by ms) as p90,
              percentile_cont(0.99) within group (order by ms) as p99, max(ms) as max
         from (select extract(epoch from (updated_at - created_at)) * 1000 as ms from tickets where source_message_id like $1) x`,
      [`webchat:${tag}-%`],
    );
    const cpuSeconds: Record<string, number> = {};
    for (const [k, pid] of Object.entries(t.pids)) cpuSeconds[k] = (cpuSecondsOf(pid) ?? NaN) - cpuBefore[k];
    const L = lat.rows[0];
    return {
      placement: t.placement,
      complaints: o.complaints,
      acked: l.ok2xx,
      non2xx: l.non2xx,
      errors: l.errors,
      ackPerSecond: l.rps,
      ackP99Ms: l.latencyMs.p99,
      rows,
      perSecond: (rows * 1000) / Math.max(1, tEnd - start),
      steadyPerSecond: hi > lo ? ((Math.floor(rows * 0.9) - Math.ceil(rows * 0.1)) * 1000) / (hi - lo) : NaN,
      drainAfterIntakeS: Math.max(0, tEnd - l.finishedAt) / 1000,
      latencyMs: { p50: Number(L.p50), p90: Number(L.p90), p99: Number(L.p99), max: Number(L.max) },
      cpuSeconds,
      stalled,
    };
  } finally {
    await db.end();
  }
}

function describe(r: ComplaintRun): string {
  const cpu = Object.entries(r.cpuSeconds).map(([k, v]) => `${k} ${v.toFixed(1)}s`).join(', ');
  return `  ${PLACEMENT_LABEL[r.placement]}: acked ${r.acked}/${r.complaints} at ${r.ackPerSecond.toFixed(0)}/s (p99 ${r.ackP99Ms} ms), ` +
    `${r.rows} rows at ${r.perSecond.toFixed(0)}/s end to end (steady ${r.steadyPerSecond.toFixed(0)}/s), latency p50 ${r.latencyMs.p50.toFixed(0)} ms p99 ${r.latencyMs.p99.toFixed(0)} ms` +
    `${r.stalled ? ' — STALLED' : ''}; CPU ${cpu}`;
}

export async function runTickets(o: TicketsOptions): Promise<ComplaintRun[]> {
  const runs: ComplaintRun[] = [];
  const redisPids: Record<string, number> = o.redisPid ? { redis: o.redisPid } : {};
  if (o.placements.includes('gateway')) {
    const g = o.inGateway.child;
    const r = await measure({ placement: 'gateway', gatewayUrl: g.info.url, databaseUrl: o.inGateway.iso.databaseUrl, pids: { gateway: g.info.pid, ...redisPids } }, o);
    o.log(describe(r));
    runs.push(r);
  }
  const counts = o.placements.filter((p) => p !== 'gateway');
  if (!counts.length) return runs;

  // One gateway without workers and one database for the worker placements; workers are added between runs
  // (each run drains its backlog completely first, and rows are counted from a baseline).
  const iso = await isolate('tw');
  const env = gatewayEnv(iso, { RUN_WORKERS: '0' });
  const gateway = await forkChild<{ url: string; pid: number }>('gateway-child.ts', { env });
  const queue = new Queue(QUEUE_NAMES.tickets, { connection: connectionOptions(REDIS_URL, 'producer'), prefix: iso.prefix });
  queue.on('error', () => {});
  const workers: Child<{ pid: number }>[] = [];
  try {
    for (const placement of counts) {
      const want = placement === 'worker1' ? 1 : 2;
      while (workers.length < want) {
        const have = workers.length;
        // Ready once its tickets worker has registered with Redis (BullMQ names its connections).
        workers.push(await spawnJiesuWorker(env, async () => (await queue.getWorkersCount()) > have));
      }
      const pids: Record<string, number> = { gateway: gateway.info.pid, ...redisPids };
      workers.forEach((w, i) => (pids[`worker${i + 1}`] = w.info.pid));
      const r = await measure({ placement, gatewayUrl: gateway.info.url, databaseUrl: iso.databaseUrl, pids }, o);
      o.log(describe(r));
      runs.push(r);
    }
  } finally {
    await queue.close().catch(() => {});
    await Promise.all(workers.map((w) => w.stop()));
    await gateway.stop();
    await iso.release();
  }
  return runs;
}
