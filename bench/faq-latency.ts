// FAQ latency at a steady offered rate, next to hello-world at the same rate. At full speed (faq-http.ts) 50
// connections each wait for their previous answer, so the p99 there is mostly time spent queueing behind the
// other 49 requests; at a fixed rate below saturation the p99 is what a citizen waits when the hotline is busy
// but not overwhelmed. Same load generator, same connections.
import type { Child } from './children.js';
import { call } from './ipc.js';
import type { LoadResult } from './load-child.js';
import { uniqueTag } from './env.js';

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
  rate: number;
  connections: number;
  durationSec: number;
  /** What the gateway actually served (below `rate` means it could not keep up). */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  non2xx: number;
  helloWorld: { rps: number; p50Ms: number; p99Ms: number };
}

function run(o: FaqLatencyOptions, url: string): Promise<LoadResult> {
  return call<LoadResult>(
    o.load.process,
    'run',
    { url, connections: o.connections, durationSec: o.durationSec, overallRate: o.rate, complaintPercent: 0, tag: uniqueTag('rate') },
    (o.durationSec + 60) * 1000,
  );
}

export async function runFaqLatency(o: FaqLatencyOptions): Promise<FaqLatencyResult> {
  const hello = await run(o, o.hello.info.url);
  const faq = await run(o, o.gateway.info.url);
  o.log(`  at ${o.rate} req/s: FAQ p50 ${faq.latencyMs.p50} ms p99 ${faq.latencyMs.p99} ms (${faq.rps.toFixed(0)} req/s served); hello-world p99 ${hello.latencyMs.p99} ms`);
  return {
    rate: o.rate,
    connections: o.connections,
    durationSec: o.durationSec,
    rps: faq.rps,
    p50Ms: faq.latencyMs.p50,
    p99Ms: faq.latencyMs.p99,
    p999Ms: faq.latencyMs.p999,
    non2xx: faq.non2xx,
    helloWorld: { rps: hello.rps, p50Ms: hello.latencyMs.p50, p99Ms: hello.latencyMs.p99 },
  };
}
