// The soak: a fresh gateway (workers inside, as `npm start`) under moderate mixed load — mostly FAQ questions,
// some complaints that become tickets — for N minutes. Every 10 s it reports its RSS, heap after a full GC,
// and open handles. Growth compares the first and last thirds of the run (the first minute is warm-up and
// left out) and fits a slope; a leak shows as steady growth, not as one step.
import type { Child } from './children.js';
import { forkChild } from './children.js';
import { call } from './ipc.js';
import type { GatewayStats } from './gateway-child.js';
import type { LoadResult } from './load-child.js';
import { gatewayEnv, isolate, uniqueTag } from './env.js';
import { median, slope, sleep } from './stats.js';
import pg from 'pg';

export interface SoakSample { atS: number; rssMb: number; heapUsedMb: number; activeResources: number; openFds?: number }

export interface SoakResult {
  minutes: number;
  rate: number;
  complaintPercent: number;
  requests: number;
  non2xx: number;
  p99Ms: number;
  tickets: number;
  samples: SoakSample[];
  rssMb: { start: number; end: number; growthMb: number; slopeMbPerMin: number };
  heapUsedMb: { start: number; end: number; slopeMbPerMin: number };
  activeResources: { start: number; end: number; max: number };
  openFds?: { start: number; end: number; max: number };
  /** RSS up by more than 10% and 20 MB, or handles up by more than 20% and 10, between the thirds. */
  grows: boolean;
}

export async function runSoak(o: { minutes: number; rate: number; complaintPercent: number; connections: number; load: Child<{ pid: number }>; log(line: string): void }): Promise<SoakResult> {
  const iso = await isolate('soak');
  // --expose-gc: samples are taken after a full collection, so garbage not yet collected is not "growth".
  const gateway = await forkChild<{ url: string; pid: number }>('gateway-child.ts', { env: gatewayEnv(iso), execArgv: ['--expose-gc'] });
  try {
    const samples: SoakSample[] = [];
    const t0 = Date.now();
    let running = true;
    const loadDone = call<LoadResult>(
      o.load.process,
      'run',
      { url: gateway.info.url, connections: o.connections, durationSec: o.minutes * 60, overallRate: o.rate, complaintPercent: o.complaintPercent, tag: uniqueTag('soak') },
      (o.minutes * 60 + 120) * 1000,
    ).finally(() => (running = false));
    const sampler = (async () => {
      while (running) {
        const s = await call<GatewayStats>(gateway.process, 'gcStats', undefined, 30_000);
        const sample: SoakSample = { atS: (Date.now() - t0) / 1000, rssMb: s.rssMb, heapUsedMb: s.heapUsedMb, activeResources: s.activeResources, ...(s.openFds !== undefined ? { openFds: s.openFds } : {}) };
        samples.push(sample);
        if (samples.length % 6 === 0) o.log(`  soak ${(sample.atS / 60).toFixed(1)} min: RSS ${s.rssMb.toFixed(0)} MB, heap ${s.heapUsedMb.toFixed(0)} MB, handles ${s.activeResources}, fds ${s.openFds ?? '?'}`);
        for (let i = 0; i < 100 && running; i++) await sleep(100); // every 10 s, but stop promptly
      }
    })();
    const load = await loadDone;
    await sampler;

    const db = new pg.Client({ connectionString: iso.databaseUrl });
    await db.connect();
    const tickets = (await db.query<{ n: number }>('select count(*)::int as n from tickets')).rows[0].n;
    await db.end();

    const warm = samples.filter((s) => s.atS >= Math.min(60, (o.minutes * 60) / 3));
    const third = Math.max(1, Math.floor(warm.length / 3));
    const first = warm.slice(0, third);
    const last = warm.slice(-third);
    const m = (xs: SoakSample[], f: (s: SoakSample) => number) => median(xs.map(f));
    const rssStart = m(first, (s) => s.rssMb);
    const rssEnd = m(last, (s) => s.rssMb);
    const hStart = m(first, (s) => s.activeResources);
    const hEnd = m(last, (s) => s.activeResources);
    const perMin = (f: (s: SoakSample) => number) => slope(warm.map((s) => ({ x: s.atS / 60, y: f(s) })));
    const fds = warm.filter((s) => s.openFds !== undefined);
    return {
      minutes: o.minutes,
      rate: o.rate,
      complaintPercent: o.complaintPercent,
      requests: load.requests,
      non2xx: load.non2xx,
      p99Ms: load.latencyMs.p99,
      tickets,
      samples,
      rssMb: { start: rssStart, end: rssEnd, growthMb: rssEnd - rssStart, slopeMbPerMin: perMin((s) => s.rssMb) },
      heapUsedMb: { start: m(first, (s) => s.heapUsedMb), end: m(last, (s) => s.heapUsedMb), slopeMbPerMin: perMin((s) => s.heapUsedMb) },
      activeResources: { start: hStart, end: hEnd, max: Math.max(...warm.map((s) => s.activeResources)) },
      ...(fds.length
        ? { openFds: { start: m(fds.slice(0, third), (s) => s.openFds!), end: m(fds.slice(-third), (s) => s.openFds!), max: Math.max(...fds.map((s) => s.openFds!)) } }
        : {}),
      grows: (rssEnd - rssStart > 20 && rssEnd > rssStart * 1.1) || (hEnd - hStart > 10 && hEnd > hStart * 1.2),
    };
  } finally {
    await gateway.stop();
    await iso.release();
  }
}
