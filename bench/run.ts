// `npm run bench [-- --quick] [-- --soak MINUTES]`: every figure of issue 9 next to its baseline, measured in
// one run on this machine; prints a table and writes bench/results.json. Asserts nothing about time.
//
//   --quick            smaller runs, no soak, no reports; finishes in a few minutes
//   --soak N           soak for N minutes (full mode default 10; 0 = skip; quick skips unless given)
//   --only a,b         parts to run: faq, tickets, matcher, soak, reports (default: all of them)
//   --load-seconds N   seconds of complaints per worker placement (quick 10, full 30); the backlog then gets
//                      at most --drain-seconds (quick 15, full 90) to turn into rows
//   --raw-jobs N       jobs for the raw BullMQ baseline (20000)
//   --placements a,b   where ticket workers run: gateway, worker1, worker2 (default: all three)
//   --connections N    HTTP connections (default 50)
//   --faq-rate N       offered rate for the FAQ latency figure below saturation (default 1000 req/s)
//   --reports-db URL   time the reports on this already seeded database instead of seeding one
//   --reports-tickets N  tickets to seed for the reports bench (full default 100000; 0 = skip)
//   --out FILE         where to write the results (default bench/results.json)
//
// Everything runs on 127.0.0.1 against the local Redis and PostgreSQL (tests/helpers/databases.ts). Each
// measured system gets a fresh database and Redis key prefix, dropped and deleted when the run ends — also on
// failure or Ctrl-C — and every child process is stopped.
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { cleanupAll, installCleanupHandlers } from './cleanup.js';
import { forkChild, REPO_ROOT, type Child } from './children.js';
import { gatewayEnv, isolate, type Isolation } from './env.js';
import { machineFacts } from './machine.js';
import { runFaqHttp } from './faq-http.js';
import { runFaqLatency } from './faq-latency.js';
import { runTickets, type WorkerPlacement } from './tickets.js';
import { runRawBullmq, type RawBullmqResult } from './raw-bullmq.js';
import { runSoak } from './soak.js';
import { scrape } from './prometheus.js';
import { formatResults } from './table.js';
import { median } from './stats.js';
import type { BenchResults } from './results.js';
import { DEFAULT_TICKET_CONCURRENCY } from '../src/config.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    soak: { type: 'string' },
    only: { type: 'string' },
    'load-seconds': { type: 'string' },
    'drain-seconds': { type: 'string' },
    'raw-jobs': { type: 'string' },
    placements: { type: 'string' },
    connections: { type: 'string', default: '50' },
    'faq-rate': { type: 'string' },
    'reports-db': { type: 'string' },
    'reports-tickets': { type: 'string' },
    out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results.json') },
  },
});

const quick = args.quick!;
const only = new Set((args.only ?? 'faq,tickets,matcher,soak,reports').split(',').map((s) => s.trim()));
const soakMinutes = args.soak !== undefined ? Number(args.soak) : quick ? 0 : 10;
const connections = Number(args.connections);
const loadSeconds = Number(args['load-seconds'] ?? (quick ? 10 : 30));
const drainCapMs = Number(args['drain-seconds'] ?? (quick ? 15 : 90)) * 1000;
// Quick mode too: completions are polled every 100 ms, and 3,000 jobs (a quarter of a second) measured the poll.
const rawJobs = Number(args['raw-jobs'] ?? 20_000);
const placements = (args.placements ?? 'gateway,worker1,worker2').split(',').map((s) => s.trim()) as WorkerPlacement[];
for (const p of placements) if (!['gateway', 'worker1', 'worker2'].includes(p)) throw new Error(`--placements: unknown placement ${p}`);
const reportsTickets = Number(args['reports-tickets'] ?? (quick ? 0 : 100_000));
const faqRate = Number(args['faq-rate'] ?? 1000);
const TICKET_CONCURRENCY = DEFAULT_TICKET_CONCURRENCY; // the gateway's default; the raw baseline's worker uses the same

const log = (line: string) => console.log(line);
const started = Date.now();
installCleanupHandlers();

const results: BenchResults = { mode: quick ? 'quick' : 'full', machine: await machineFacts(), errors: [], durationS: 0 };

/** Runs one part; a failure is recorded and the run goes on with the other parts. */
async function part(name: string, fn: () => Promise<void>): Promise<void> {
  const t0 = Date.now();
  log(`\n▸ ${name}`);
  try {
    await fn();
  } catch (err) {
    const message = (err as Error).stack ?? String(err);
    results.errors.push({ part: name, message });
    console.error(`  ${name} failed: ${message}`);
  }
  log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

try {
  log(`bench ${results.mode}: ${results.machine.cores} cores, node ${results.machine.node}, load avg ${results.machine.loadAvgStart.join(' ')}`);
  let load: Child<{ pid: number }> | undefined;
  const needHttp = only.has('faq') || only.has('tickets') || (only.has('soak') && soakMinutes > 0);
  if (needHttp) load = await forkChild<{ pid: number }>('load-child.ts');

  // The main gateway: `npm start`'s shape (workers inside). The FAQ load runs against it, then the
  // in-gateway complaints run, so its /metrics afterwards covers both.
  let main: { child: Child<{ url: string; pid: number }>; iso: Isolation } | undefined;
  if (only.has('faq') || only.has('tickets')) {
    await part('start gateway', async () => {
      const iso = await isolate('gw');
      main = { iso, child: await forkChild<{ url: string; pid: number }>('gateway-child.ts', { env: gatewayEnv(iso) }) };
      log(`  gateway ${main.child.info.url} (pid ${main.child.info.pid})`);
    });
  }

  if (only.has('faq') && main && load) {
    const gw = main;
    const ld = load;
    await part('FAQ over HTTP vs hello-world', async () => {
      const hello = await forkChild<{ url: string; pid: number }>('hello-child.ts');
      try {
        results.faqHttp = await runFaqHttp({
          gateway: gw.child,
          hello,
          load: ld,
          connections,
          durationSec: quick ? 8 : 20,
          warmupSec: quick ? 2 : 5,
          rounds: quick ? 1 : 3,
          redisPid: results.machine.redisPid,
          log,
        });
        results.rssMb = results.faqHttp.gatewayRssMb.peak;
        results.faqLatency = await runFaqLatency({ gateway: gw.child, hello, load: ld, connections, rate: faqRate, durationSec: quick ? 8 : 20, log });
      } finally {
        await hello.stop();
      }
    });
  }

  if (only.has('tickets') && main && load) {
    const gw = main;
    const ld = load;
    await part('complaints → tickets vs raw BullMQ', async () => {
      const stallMs = quick ? 20_000 : 60_000;
      const raws: RawBullmqResult[] = [];
      const raw = () => runRawBullmq({ jobs: rawJobs, inFlight: connections, concurrency: TICKET_CONCURRENCY, stallMs, redisPid: results.machine.redisPid, log });
      // The baseline before and (in full mode) after the real runs: a neighbour's load rarely hits both.
      raws.push(await raw());
      const runs = await runTickets({ inGateway: gw, load: ld, placements, loadSeconds, drainCapMs, connections, stallMs, redisPid: results.machine.redisPid, log });
      if (!quick) raws.push(await raw());
      const best = runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
      const rawPerSecond = median(raws.map((r) => r.perSecond));
      const rawAdd = median(raws.map((r) => r.addPerSecond));
      const bestAck = Math.max(...runs.map((r) => r.ackPerSecond));
      results.tickets = {
        perSecond: best.perSecond,
        rawBullmqPerSecond: rawPerSecond,
        ratio: best.perSecond / rawPerSecond,
        best: best.placement,
        ackPerSecond: bestAck,
        rawAddPerSecond: rawAdd,
        ackRatio: bestAck / rawAdd,
        runs,
        raw: raws[0],
      };
    });
  }

  if (main) {
    const gw = main;
    await part('read /metrics', async () => {
      results.prometheus = await scrape(gw.child.info.url);
    });
    await gw.child.stop();
    await gw.iso.release();
  }

  if (only.has('soak') && load) {
    if (soakMinutes > 0) {
      const ld = load;
      await part(`soak ${soakMinutes} min`, async () => {
        results.soak = await runSoak({ minutes: soakMinutes, rate: 100, complaintPercent: 10, connections: 10, load: ld, log });
      });
    } else results.soak = { skipped: quick ? 'quick mode; --soak N to run it' : '--soak 0' };
  }
  await load?.stop();

  // CPU-bound and in this process: run it once nothing else of ours is running.
  if (only.has('matcher')) {
    await part('matcher', async () => {
      const { runMatcherBench } = await import('./matcher.js');
      const m = await runMatcherBench({ quick });
      results.matcher = { p50Ms: m.devKb.p50Ms, p99Ms: m.devKb.p99Ms, perSecond: m.devKb.decisionsPerSecond, detail: m };
    });
  }

  if (only.has('reports')) {
    if (args['reports-db'] || reportsTickets > 0) {
      await part('reports', async () => {
        const { runReportsBench } = await import('./reports.js');
        let databaseUrl = args['reports-db'];
        let iso: Isolation | undefined;
        if (!databaseUrl) {
          iso = await isolate('rep', {});
          databaseUrl = iso.databaseUrl;
          const { seedYear } = await import('../scripts/seed-year.js');
          const seeded = await seedYear({ databaseUrl, tickets: reportsTickets });
          log(`  seeded ${seeded.tickets} tickets in ${seeded.seconds.toFixed(0)} s`);
        }
        try {
          results.reports = await runReportsBench({ databaseUrl, runs: quick ? 2 : 3, log: (l) => log(`  ${l}`) });
        } finally {
          await iso?.release();
        }
      });
    } else results.reports = { skipped: quick ? 'quick mode; --reports-db URL or --reports-tickets N to run it' : '--reports-tickets 0' };
  }
} finally {
  await cleanupAll();
  results.machine.loadAvgEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  results.durationS = (Date.now() - started) / 1000;
  writeFileSync(args.out!, JSON.stringify(results, null, 2) + '\n');
  log('\n' + formatResults(results));
  log(`\nresults written to ${args.out}`);
}
process.exit(results.errors.length ? 1 : 0);
