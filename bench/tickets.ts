// Complaints end to end: POSTed through the web chat API at N connections for a fixed time while the ticket
// workers run, and ticket rows counted in PostgreSQL every 100 ms until every acknowledged complaint has its
// row or the drain time is up (time-boxed, so a slow system cannot make the run endless; while a backlog
// remains, rows per second is the sustained rate). Measured with the workers in three places — inside the
// gateway (`npm start`), in one `jiesu worker`, in two — because on a small machine where they run decides
// the figure; the best is the headline. Each placement gets its own gateway, database and queue prefix, so
// one's leftover backlog never runs during another's measurement.
import pg from 'pg';
import { Queue } from 'bullmq';
import { forkChild, spawnJiesuWorker, type Child } from './children.js';
import { call } from './ipc.js';
import type { LoadResult } from './load-child.js';
import { cpuSecondsBetween, cpuSecondsOf, cpuSecondsOfAll } from './proc.js';
import { gatewayEnv, isolate, REDIS_URL, uniqueTag, type Isolation } from './env.js';
import { connectionOptions } from '../src/queue/redis.js';
import { QUEUE_NAMES } from '../src/queue/queues.js';
import { sleep } from './stats.js';
import { sampleDbWaits, type WaitSample } from './db-waits.js';
import { scrape } from './prometheus.js';

/** Complaints the gateway has queued so far (its own count: the load generator does not count requests
 *  still in flight when its time is up, but the gateway finishes them and they become rows too). */
async function queuedCount(gatewayUrl: string): Promise<number> {
  const m = await scrape(gatewayUrl);
  return Object.entries(m.intake).filter(([k]) => k.split('/')[1] === 'queued').reduce((a, [, v]) => a + v, 0);
}

import { PLACEMENT_LABEL, type WorkerPlacement } from './placements.js';
export { PLACEMENT_LABEL, type WorkerPlacement };

export interface ComplaintRun {
  placement: WorkerPlacement;
  /** Complaints sent (all of them during `loadSeconds`). */
  complaints: number;
  loadSeconds: number;
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
  /** Every acknowledged complaint had its row before the drain time ran out. */
  drained: boolean;
  /** CPU seconds each process used during the run: where the time goes. */
  cpuSeconds: Record<string, number>;
  /** CPU milliseconds per ticket row, per process: unlike rates, barely affected by a busy machine. */
  cpuMsPerTicket: Record<string, number>;
  /** Complaints the gateway queued (≥ acked: requests in flight when the load stopped count too). */
  queued: number;
  /** The busiest pg_stat_activity states during the run (mean sessions per sample). */
  dbWaits: WaitSample[];
  stalled: boolean;
}

export interface TicketsOptions {
  /** The FAQ run's gateway (workers inside, RUN_WORKERS=1) and its database: the `npm start` shape. */
  inGateway: { child: Child<{ url: string; pid: number }>; iso: Isolation };
  load: Child<{ pid: number }>;
  placements: WorkerPlacement[];
  /** Seconds of complaint load per placement. */
  loadSeconds: number;
  /** After the load, wait at most this long for the backlog to drain. */
  drainCapMs: number;
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

async function measure(target: Target, o: TicketsOptions): Promise<ComplaintRun> {
  // The load generator's CPU too: on two cores it competes with what it measures.
  const t: Target = { ...target, pids: { ...target.pids, load: o.load.process.pid! } };
  const db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  const waits = sampleDbWaits(t.databaseUrl);
  try {
    const count = async () => (await db.query<{ n: number }>('select count(*)::int as n from tickets')).rows[0].n;
    const base = await count();
    const queuedBase = await queuedCount(t.gatewayUrl);
    const cpuBefore = Object.fromEntries(Object.entries(t.pids).map(([k, pid]) => [k, cpuSecondsOf(pid) ?? NaN]));
    const postgresBefore = cpuSecondsOfAll('postgres');
    const tag = uniqueTag('c');
    const t0 = Date.now();

    let load: LoadResult | undefined;
    let loadError: unknown;
    const loadDone = call<LoadResult>(
      o.load.process,
      'run',
      { url: t.gatewayUrl, connections: o.connections, durationSec: o.loadSeconds, complaintPercent: 100, tag, timeoutSec: 10 },
      (o.loadSeconds + 60) * 1000,
    ).then((r) => (load = r), (err) => (loadError = err));

    // Poll the row count until every acknowledged complaint is a row (or nothing moves for stallMs).
    const timeline: { t: number; rows: number }[] = [];
    let lastChange = Date.now();
    let stalled = false;
    let drained = false;
    let target: number | undefined;
    let lastQueued = -1;
    for (;;) {
      const rows = (await count()) - base;
      const now = Date.now();
      if (!timeline.length || rows !== timeline.at(-1)!.rows) lastChange = now;
      timeline.push({ t: now, rows });
      if (loadError) throw loadError;
      if (load && target === undefined) {
        // The gateway's queued count settles once the last in-flight requests are answered.
        const q = (await queuedCount(t.gatewayUrl)) - queuedBase;
        if (q === lastQueued) target = q;
        lastQueued = q;
      }
      if (target !== undefined && rows >= target) {
        drained = true;
        break;
      }
      if (load && now - load.finishedAt > o.drainCapMs) break;
      if (now - lastChange > o.stallMs) {
        stalled = true;
        break;
      }
      await sleep(100);
    }
    await loadDone;
    const dbWaits = await waits.stop();
    if (!load) throw loadError ?? new Error('load did not finish');
    const l: LoadResult = load;
    const rows = timeline.at(-1)!.rows;
    const queued = target ?? lastQueued;
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
    // Every PostgreSQL process on the machine: the run's own backends are nearly all of it.
    cpuSeconds.postgres = cpuSecondsBetween(postgresBefore, cpuSecondsOfAll('postgres'));
    const cpuMsPerTicket = Object.fromEntries(Object.entries(cpuSeconds).map(([k, v]) => [k, rows ? (v * 1000) / rows : NaN]));
    const L = lat.rows[0];
    return {
      placement: t.placement,
      complaints: l.requests,
      loadSeconds: o.loadSeconds,
      acked: l.ok2xx,
      queued,
      non2xx: l.non2xx,
      errors: l.errors,
      ackPerSecond: l.rps,
      ackP99Ms: l.latencyMs.p99,
      rows,
      perSecond: (rows * 1000) / Math.max(1, tEnd - start),
      steadyPerSecond: hi > lo ? ((Math.floor(rows * 0.9) - Math.ceil(rows * 0.1)) * 1000) / (hi - lo) : NaN,
      drainAfterIntakeS: Math.max(0, tEnd - l.finishedAt) / 1000,
      latencyMs: { p50: Number(L.p50), p90: Number(L.p90), p99: Number(L.p99), max: Number(L.max) },
      drained,
      cpuSeconds,
      cpuMsPerTicket,
      dbWaits,
      stalled,
    };
  } finally {
    await waits.stop();
    await db.end();
  }
}

function describe(r: ComplaintRun): string {
  const cpu = Object.entries(r.cpuMsPerTicket).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  const top = r.dbWaits[0];
  return `  ${PLACEMENT_LABEL[r.placement]}: acked ${r.acked}/${r.complaints} at ${r.ackPerSecond.toFixed(0)}/s (p99 ${r.ackP99Ms} ms), ` +
    `${r.rows} rows at ${r.perSecond.toFixed(0)}/s end to end (steady ${r.steadyPerSecond.toFixed(0)}/s), latency p50 ${r.latencyMs.p50.toFixed(0)} ms p99 ${r.latencyMs.p99.toFixed(0)} ms` +
    `${r.drained ? '' : `, ${r.queued - r.rows} left when the drain time ran out`}${r.stalled ? ' — STALLED' : ''}; CPU ms per ticket: ${cpu}` +
    (top ? `\n    busiest database state: ${top.sessions} sessions ${top.what}` : '');
}

/** A gateway without workers plus `count` × `jiesu worker`, on their own database and prefix. */
async function withWorkers(count: number, o: TicketsOptions, redisPids: Record<string, number>): Promise<ComplaintRun> {
  const iso = await isolate('tw');
  const env = gatewayEnv(iso, { RUN_WORKERS: '0' });
  const queue = new Queue(QUEUE_NAMES.tickets, { connection: connectionOptions(REDIS_URL, 'producer'), prefix: iso.prefix });
  queue.on('error', () => {});
  const children: Child<{ pid: number }>[] = [];
  try {
    const gateway = await forkChild<{ url: string; pid: number }>('gateway-child.ts', { env });
    children.push(gateway);
    const pids: Record<string, number> = { gateway: gateway.info.pid, ...redisPids };
    for (let i = 0; i < count; i++) {
      // Ready once its tickets worker has registered with Redis (BullMQ names its connections).
      const w = await spawnJiesuWorker(env, async () => (await queue.getWorkersCount()) > i);
      children.push(w);
      pids[`worker${i + 1}`] = w.info.pid;
    }
    return await measure({ placement: count === 1 ? 'worker1' : 'worker2', gatewayUrl: gateway.info.url, databaseUrl: iso.databaseUrl, pids }, o);
  } finally {
    await queue.close().catch(() => {});
    // Workers first (they drain in-flight jobs), then the gateway; a leftover backlog is deleted with the keys.
    await Promise.all(children.slice(1).map((c) => c.stop()));
    await children[0]?.stop();
    await iso.release();
  }
}

export async function runTickets(o: TicketsOptions): Promise<ComplaintRun[]> {
  const runs: ComplaintRun[] = [];
  const redisPids: Record<string, number> = o.redisPid ? { redis: o.redisPid } : {};
  for (const placement of o.placements.filter((p) => p !== 'gateway')) {
    const r = await withWorkers(placement === 'worker1' ? 1 : 2, o, redisPids);
    o.log(describe(r));
    runs.push(r);
  }
  // Last, because it runs on the main gateway, which keeps working off any leftover backlog afterwards.
  if (o.placements.includes('gateway')) {
    const g = o.inGateway.child;
    const r = await measure({ placement: 'gateway', gatewayUrl: g.info.url, databaseUrl: o.inGateway.iso.databaseUrl, pids: { gateway: g.info.pid, ...redisPids } }, o);
    o.log(describe(r));
    runs.push(r);
  }
  return runs;
}
