// The load generator, in its own process so it never shares an event loop with the server it measures.
// `run`: autocannon drives N keep-alive connections, flat out or at a (bursty) overall rate. `paced`: the
// evenly paced open-loop generator in paced-load.ts, for latency at a fixed offered rate. Either way every
// request carries a fresh sessionId and messageId, so the gateway's dedupe never short-circuits and each
// request does the full work.
import { createRequire } from 'node:module';
import { announce, serve } from './ipc.js';
import { runPaced, type PacedResult, type PacedSpec, type ResponseTally } from './paced-load.js';
import { COMPLAINT_TEXTS, FAQ_TEXTS } from './texts.js';

export interface LoadSpec {
  url: string;
  path?: string;
  connections: number;
  /** Seconds to run; ignored when `amount` is set. */
  durationSec?: number;
  /** Exactly this many requests, then stop. */
  amount?: number;
  /** Requests per second over all connections (moderate load for the soak); unlimited when unset. autocannon
   *  sends each second's budget in a burst, so use `paced` when the latency at that rate is the figure. */
  overallRate?: number;
  /** Percent of requests that are complaints; the rest are FAQ questions. */
  complaintPercent: number;
  /** Prefix of the generated session ids; unique per run so runs never collide. */
  tag: string;
  timeoutSec?: number;
}

export interface LoadResult extends ResponseTally {
  latencyMs: { mean: number; p50: number; p90: number; p99: number; p999: number; max: number };
  startedAt: number;
  finishedAt: number;
  sent: { faq: number; complaint: number };
}

interface Histogram { average: number; mean?: number; p50: number; p90: number; p99: number; p99_9: number; max: number; total?: number }
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  start: Date;
  finish: Date;
  statusCodeStats?: Record<string, { count: number }>;
}
interface Instance extends Promise<AutocannonResult> { stop(): void }
type Autocannon = (opts: Record<string, unknown>) => Instance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
let current: Instance | undefined;
let currentPaced: AbortController | undefined;

async function paced(spec: PacedSpec): Promise<PacedResult> {
  const ac = new AbortController();
  currentPaced = ac;
  try {
    return (await runPaced(spec, ac.signal)).result;
  } finally {
    if (currentPaced === ac) currentPaced = undefined;
  }
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  let n = 0;
  const sent = { faq: 0, complaint: 0 };
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationSec ?? 10 }),
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    timeout: spec.timeoutSec ?? 10,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: spec.path ?? '/api/webchat/messages',
        setupRequest: (req: Record<string, unknown>) => {
          const i = n++;
          // Spread complaints evenly through the run (i*pct/100 steps up by one every 100/pct requests).
          const complaint = Math.floor(((i + 1) * spec.complaintPercent) / 100) > Math.floor((i * spec.complaintPercent) / 100);
          const text = complaint ? COMPLAINT_TEXTS[i % COMPLAINT_TEXTS.length] : FAQ_TEXTS[i % FAQ_TEXTS.length];
          if (complaint) sent.complaint++;
          else sent.faq++;
          const id = i.toString(36);
          return { ...req, body: JSON.stringify({ sessionId: `${spec.tag}-${id}`, messageId: `m-${id}-0000`, text }) };
        },
      },
    ],
  });
  current = instance;
  const r = await instance;
  current = undefined;
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = Number(s.count);
  const requests = r.requests.total;
  return {
    requests,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    rps: requests / r.duration,
    latencyMs: { mean: r.latency.average, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, p999: r.latency.p99_9, max: r.latency.max },
    durationS: r.duration,
    startedAt: new Date(r.start).getTime(),
    finishedAt: new Date(r.finish).getTime(),
    sent,
  };
}

serve(
  {
    run: (spec: LoadSpec) => run(spec),
    paced: (spec: PacedSpec) => paced(spec),
    stop: () => {
      current?.stop();
      currentPaced?.abort();
      setImmediate(() => process.exit(0));
      return true;
    },
  },
  () => {
    current?.stop();
    currentPaced?.abort();
  },
);
announce({ pid: process.pid });
