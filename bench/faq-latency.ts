// FAQ latency at a steady offered rate, next to hello-world at the same rate. At full speed (faq-http.ts) 50
// connections each wait for their previous answer, so the p99 there is mostly time spent queueing behind the
// other 49 requests; at a fixed rate below saturation the p99 is what a citizen waits when the hotline is busy
// but not overwhelmed.
//
// The load is the paced open-loop generator (paced-load.ts, run in the load child): one request every 1/rate
// seconds over up to N keep-alive connections, each timed from when it was *due* to the end of its answer.
// Not autocannon's `overallRate`: that sends each second's budget in one burst, so requests queue behind the
// burst and even a hello-world showed p99s of 41–226 ms. Timing from the due time (not the actual send) keeps
// a stalled server from hiding its stall by holding back the requests behind it. Same generator, same
// connections for both servers.
import type { Child } from './children.js';
import { call } from './ipc.js';
import type { PacedResult, PacedSpec } from './paced-load.js';
import { uniqueTag } from './env.js';
import { bucketsBetween, histogramBuckets, histogramQuantile, metricsText, parsePrometheus, type Buckets } from './prometheus.js';

export interface FaqLatencyOptions {
  gateway: Child<{ url: string }>;
  hello: Child<{ url: string }>;
  load: Child<{ pid: number }>;
  connections: number;
  /** Requests per second over all connections. */
  rate: number;
  durationSec: number;
  log(line: string): void;
}

export interface FaqLatencyResult {
  /** How the load was generated; absent in results from before the paced generator (autocannon overallRate). */
  generator?: 'paced open-loop';
  rate: number;
  connections: number;
  durationSec: number;
  /** What the gateway actually served (below `rate` means it could not keep up). */
  rps: number;
  p50Ms: number;
  p90Ms?: number;
  p99Ms: number;
  p999Ms: number;
  maxMs?: number;
  non2xx: number;
  errors?: number;
  timeouts?: number;
  /** p99 of how late the generator itself sent requests; large values mean the figures include our own lag. */
  sendLagP99Ms?: number;
  /** The same answers' time inside the gateway's intake (its jiesu_intake_seconds histogram, bucket-interpolated). */
  intakeMs?: { p50: number; p99: number };
  helloWorld: { rps: number; p50Ms: number; p99Ms: number; p999Ms?: number };
}

function run(o: FaqLatencyOptions, url: string): Promise<PacedResult> {
  const spec: PacedSpec = { url, connections: o.connections, rate: o.rate, durationSec: o.durationSec, tag: uniqueTag('rate') };
  return call<PacedResult>(o.load.process, 'paced', spec, (o.durationSec + 60) * 1000);
}

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');

/** The gateway's own jiesu_intake_seconds buckets for answered web chat messages, as it exports them now. */
async function intakeBuckets(url: string): Promise<Buckets> {
  return histogramBuckets(parsePrometheus(await metricsText(url)), 'jiesu_intake_seconds', { channel: 'webchat', status: 'answered' });
}

export async function runFaqLatency(o: FaqLatencyOptions): Promise<FaqLatencyResult> {
  const hello = await run(o, o.hello.info.url);
  const before = await intakeBuckets(o.gateway.info.url);
  const faq = await run(o, o.gateway.info.url);
  // The part of each answer's time spent inside the gateway's intake (from its own histogram): what is left
  // of the client's figure is the HTTP layers, the network and waiting for a core.
  const inside = bucketsBetween(before, await intakeBuckets(o.gateway.info.url));
  const intakeMs = (q: number) => (histogramQuantile(q, inside) ?? NaN) * 1000;
  const failed = faq.non2xx + faq.errors + faq.timeouts;
  o.log(
    `  at ${o.rate} req/s (paced, ${o.connections} conns): FAQ p50 ${f(faq.latencyMs.p50)} ms p99 ${f(faq.latencyMs.p99)} ms p99.9 ${f(faq.latencyMs.p999)} ms ` +
      `(${faq.rps.toFixed(0)} req/s served${failed ? `, ${faq.non2xx} non-2xx, ${faq.errors} errors, ${faq.timeouts} timeouts` : ''}); ` +
      `hello-world p50 ${f(hello.latencyMs.p50)} ms p99 ${f(hello.latencyMs.p99)} ms; send lag p99 ${f(faq.sendLagMs.p99)}/${f(hello.sendLagMs.p99)} ms; ` +
      `inside the intake p50 ${f(intakeMs(0.5))} ms p99 ${f(intakeMs(0.99))} ms`,
  );
  return {
    generator: faq.generator,
    rate: o.rate,
    connections: o.connections,
    durationSec: o.durationSec,
    rps: faq.rps,
    p50Ms: faq.latencyMs.p50,
    p90Ms: faq.latencyMs.p90,
    p99Ms: faq.latencyMs.p99,
    p999Ms: faq.latencyMs.p999,
    maxMs: faq.latencyMs.max,
    non2xx: faq.non2xx,
    errors: faq.errors,
    timeouts: faq.timeouts,
    sendLagP99Ms: faq.sendLagMs.p99,
    intakeMs: { p50: intakeMs(0.5), p99: intakeMs(0.99) },
    helloWorld: { rps: hello.rps, p50Ms: hello.latencyMs.p50, p99Ms: hello.latencyMs.p99, p999Ms: hello.latencyMs.p999 },
  };
}
