// An open-loop load generator paced evenly in time (the wrk2 / k6 "constant-arrival-rate" model), for latency
// at a fixed offered rate. autocannon's `overallRate` is bursty: it fires each second's budget as fast as it
// can and then idles, so requests queue behind their own burst and the p99 measures the generator, not the
// server (a hello-world showed a p99 of 41–226 ms at 1,000 req/s). Here the i-th request is due at
// start + i/rate, and its latency runs from that *intended* time to the end of the response. That is the
// coordinated-omission correction: a server that stalls cannot hide the stall by holding the generator back,
// because every request scheduled behind the stall is charged the time it waited to be sent.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { FAQ_TEXTS } from './texts.js';

export interface PacedSpec {
  url: string;
  path?: string;
  /** Requests per second, spaced 1/rate apart. */
  rate: number;
  durationSec: number;
  /** Most keep-alive connections open at once; a request that finds all of them busy waits for one. */
  connections: number;
  /** Prefix of the generated session ids; unique per run so runs never collide. */
  tag: string;
  timeoutSec?: number;
  texts?: readonly string[];
}

export interface LatencySummary { mean: number; p50: number; p90: number; p99: number; p999: number; max: number }

/** What any load run counts, paced or not (load-child's autocannon runs too). */
export interface ResponseTally {
  /** Responses received, whatever their status. */
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  rps: number;
  durationS: number;
}

export interface PacedResult extends ResponseTally {
  generator: 'paced open-loop';
  rate: number;
  connections: number;
  /** Requests the schedule called for (rate × duration). */
  scheduled: number;
  /** Requests sent; below `scheduled` only when the run was stopped early. */
  sent: number;
  /** Responses per second, from the first intended send to the last response. */
  rps: number;
  /** From each request's intended send time to the end of its response. */
  latencyMs: LatencySummary;
  /** How late the generator itself issued requests: if this is large, the figure above is partly ours. */
  sendLagMs: { p50: number; p99: number; max: number };
  startedAt: number;
  finishedAt: number;
}

export interface PacedRun {
  result: PacedResult;
  /** Latency of request i (NaN when it got no response), for tests that look at single requests. */
  latencyByIndex: Float64Array;
  /** performance.now() of the schedule's start: request i was due at startMs + i × 1000 / rate. */
  startMs: number;
}

/** When request i is due, in ms on the same clock as `startMs`. Computed from i, never accumulated, so it cannot drift. */
export function intendedAt(startMs: number, i: number, rate: number): number {
  return startMs + (i * 1000) / rate;
}

/** Nearest-rank percentile (p in 0..100) of an ascending array: the smallest value with at least p% of values ≤ it. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (!n) return NaN;
  // The epsilon keeps float noise (99.9 × 1000 / 100 = 999.0000000000001) from rounding up one rank.
  const rank = Math.min(n, Math.max(1, Math.ceil((p * n) / 100 - 1e-9)));
  return sorted[rank - 1];
}

/** Exact percentiles of every recorded value (NaNs, i.e. requests without a response, are left out). */
export function summarize(values: ArrayLike<number>): LatencySummary {
  const xs = Array.from(values).filter((x) => !Number.isNaN(x));
  const s = Float64Array.from(xs).sort();
  const mean = s.length ? s.reduce((a, x) => a + x, 0) / s.length : NaN;
  return { mean, p50: nearestRank(s, 50), p90: nearestRank(s, 90), p99: nearestRank(s, 99), p999: nearestRank(s, 99.9), max: s.length ? s[s.length - 1] : NaN };
}

export async function runPaced(spec: PacedSpec, signal?: AbortSignal): Promise<PacedRun> {
  if (!(spec.rate > 0) || !(spec.durationSec > 0) || !(spec.connections >= 1)) throw new Error('paced load needs rate, durationSec and connections > 0');
  const target = new URL(spec.url);
  const path = spec.path ?? '/api/webchat/messages';
  const texts = spec.texts ?? FAQ_TEXTS;
  const timeoutMs = (spec.timeoutSec ?? 10) * 1000;
  const total = Math.round(spec.rate * spec.durationSec);
  // The agent is the connection pool: at most N sockets, kept alive, and a FIFO queue for requests that find
  // them all busy. That queueing is part of what a citizen would wait, so it stays inside the latency.
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });

  const latencyByIndex = new Float64Array(total).fill(NaN);
  const sendLag = new Float64Array(total).fill(NaN);
  const statusCodes: Record<string, number> = {};
  const counts = { responses: 0, ok2xx: 0, non2xx: 0, errors: 0, timeouts: 0 };
  // Requests still waiting for their answer, each with a way to give up on it.
  const outstanding = new Map<number, () => void>();
  let next = 0;
  let stopped = false;
  let lastEnd = 0;
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const startedAt = Date.now();
  const start = performance.now();
  const scheduleEnd = intendedAt(start, total, spec.rate);

  const maybeDone = () => {
    if ((stopped || next >= total) && outstanding.size === 0) finish();
  };

  const send = (i: number) => {
    const id = i.toString(36);
    const body = JSON.stringify({ sessionId: `${spec.tag}-${id}`, messageId: `m-${id}-0000`, text: texts[i % texts.length] });
    const due = intendedAt(start, i, spec.rate);
    let settled = false;
    const settle = () => {
      settled = true;
      outstanding.delete(i);
      maybeDone();
    };
    sendLag[i] = performance.now() - due;
    const req = http.request(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        // A connection cut mid-answer errors the response, not the request.
        res.on('error', () => {
          if (settled) return;
          counts.errors++;
          settle();
        });
        res.on('end', () => {
          if (settled) return;
          const end = performance.now();
          latencyByIndex[i] = end - due;
          lastEnd = Math.max(lastEnd, end);
          const code = res.statusCode ?? 0;
          statusCodes[code] = (statusCodes[code] ?? 0) + 1;
          counts.responses++;
          if (code >= 200 && code < 300) counts.ok2xx++;
          else counts.non2xx++;
          settle();
        });
      },
    );
    let timedOut = false;
    // Applies once the request has a socket; time spent queued for one is bounded by the drain deadline below.
    req.setTimeout(timeoutMs, () => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    });
    req.on('error', () => {
      if (settled) return;
      if (timedOut) counts.timeouts++;
      else counts.errors++;
      settle();
    });
    outstanding.set(i, () => {
      if (settled) return;
      counts.timeouts++;
      settle();
      req.destroy(new Error('timeout'));
    });
    req.end(body);
  };

  // One loop, not one timer per request: each wake-up sends every request whose time has come, then sleeps
  // until the next one is due. Per-request setTimeouts have 1 ms granularity and drift under load; here a late
  // wake-up only means a few requests go out together, and the delay is charged to their latency (sendLagMs
  // shows how much of it was ours).
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    const now = performance.now();
    while (next < total && intendedAt(start, next, spec.rate) <= now) send(next++);
    if (next >= total) return maybeDone();
    const wait = intendedAt(start, next, spec.rate) - performance.now();
    // setImmediate when already due again, so responses still get processed between rounds of sending.
    timer = wait <= 0 ? setImmediate(tick) : setTimeout(tick, wait);
  };

  const abort = () => {
    stopped = true; // nothing more is sent
    for (const cancel of [...outstanding.values()]) cancel();
    finish();
  };
  if (signal?.aborted) stopped = true;
  signal?.addEventListener('abort', abort, { once: true });
  tick();
  maybeDone();

  // A stalled server must not keep us here forever: after the last scheduled send, give the stragglers one
  // timeout to answer, then count them as timed out.
  const deadline = setTimeout(abort, scheduleEnd - performance.now() + timeoutMs);
  try {
    await finished;
  } finally {
    clearTimeout(deadline);
    if (timer) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
    }
    signal?.removeEventListener('abort', abort);
    agent.destroy();
  }

  const finishedAt = Date.now();
  const durationMs = Math.max(lastEnd, intendedAt(start, Math.max(0, next - 1), spec.rate)) - start;
  const durationS = durationMs / 1000;
  const lag = summarize(sendLag);
  return {
    result: {
      generator: 'paced open-loop',
      rate: spec.rate,
      connections: spec.connections,
      scheduled: total,
      sent: next,
      requests: counts.responses,
      ok2xx: counts.ok2xx,
      non2xx: counts.non2xx,
      errors: counts.errors,
      timeouts: counts.timeouts,
      statusCodes,
      rps: durationS > 0 ? counts.responses / durationS : 0,
      durationS,
      latencyMs: summarize(latencyByIndex),
      sendLagMs: { p50: lag.p50, p99: lag.p99, max: lag.max },
      startedAt,
      finishedAt,
    },
    latencyByIndex,
    startMs: start,
  };
}
