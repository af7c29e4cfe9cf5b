// FAQ answers through the real HTTP API, next to a bare express hello-world, in the same run on the same
// machine. Rounds alternate hello → gateway so a noisy neighbour hurts both sides alike; the medians of the
// rounds are the figures. The gateway's RSS is sampled from /proc while it is under load.
import type { Child } from './children.js';
import { call } from './ipc.js';
import type { LoadResult, LoadSpec } from './load-child.js';
import { cpuSecondsOf, rssMbOf } from './proc.js';
import { median, sleep } from './stats.js';
import { uniqueTag } from './env.js';
import { FAQ_TEXTS } from './texts.js';

export interface FaqHttpOptions {
  gateway: Child<{ url: string; pid: number }>;
  hello: Child<{ url: string; pid: number }>;
  load: Child<{ pid: number }>;
  connections: number;
  durationSec: number;
  warmupSec: number;
  rounds: number;
  redisPid?: number;
  log(line: string): void;
}

export interface FaqHttpResult {
  connections: number;
  durationSec: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  helloWorldRps: number;
  helloWorldP99Ms: number;
  ratio: number;
  non2xx: number;
  errors: number;
  rounds: { faq: LoadResult; hello: LoadResult }[];
  /**
   * CPU milliseconds per request of each server (and of Redis for the gateway). A busy machine changes how
   * much CPU we get, much less what a request costs: helloMs / gatewayMs is the ratio two idle cores
   * would show (Redis aside).
   */
  cpuMsPerRequest: { gateway: number; hello: number; redisPerFaq?: number; ratio: number };
  gatewayRssMb: { idle?: number; peak?: number; mean?: number };
}

function runLoad(load: Child<{ pid: number }>, spec: LoadSpec): Promise<LoadResult> {
  const seconds = spec.durationSec ?? 10;
  return call<LoadResult>(load.process, 'run', spec, (seconds + 60) * 1000);
}

/** Runs the load and returns it with the CPU milliseconds per request the given processes spent meanwhile. */
async function withCpu(pids: number[], run: () => Promise<LoadResult>): Promise<{ load: LoadResult; cpuMs: number[] }> {
  const before = pids.map((p) => cpuSecondsOf(p) ?? NaN);
  const load = await run();
  const cpuMs = pids.map((p, i) => (((cpuSecondsOf(p) ?? NaN) - before[i]) * 1000) / Math.max(1, load.requests));
  return { load, cpuMs };
}

/** One real request first: a misconfigured gateway (rate limited, NLU not answering) must fail loudly. */
async function sanityCheck(url: string): Promise<void> {
  const res = await fetch(`${url}/api/webchat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId: uniqueTag('sanity'), messageId: 'sanity-0001', text: FAQ_TEXTS[0] }),
  });
  const body = (await res.json()) as { status?: string };
  if (res.status !== 200 || body.status !== 'answered') throw new Error(`FAQ sanity request: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
}

export async function runFaqHttp(o: FaqHttpOptions): Promise<FaqHttpResult> {
  await sanityCheck(o.gateway.info.url);
  const base = { connections: o.connections, complaintPercent: 0 };
  // Warm both servers (JIT, connection setup, Redis connections) before anything counts.
  await runLoad(o.load, { ...base, url: o.hello.info.url, durationSec: o.warmupSec, tag: uniqueTag('warm') });
  await runLoad(o.load, { ...base, url: o.gateway.info.url, durationSec: o.warmupSec, tag: uniqueTag('warm') });
  await sleep(500);
  const idle = rssMbOf(o.gateway.info.pid);

  const rounds: FaqHttpResult['rounds'] = [];
  const rss: number[] = [];
  const cpu = { gateway: [] as number[], hello: [] as number[], redis: [] as number[] };
  for (let r = 0; r < o.rounds; r++) {
    const h = await withCpu([o.hello.info.pid], () => runLoad(o.load, { ...base, url: o.hello.info.url, durationSec: o.durationSec, tag: uniqueTag('hello') }));
    const hello = h.load;
    cpu.hello.push(h.cpuMs[0]);
    o.log(`  round ${r + 1}: hello-world ${hello.rps.toFixed(0)} req/s p99 ${hello.latencyMs.p99} ms`);
    const sampler = setInterval(() => {
      const v = rssMbOf(o.gateway.info.pid);
      if (v !== undefined) rss.push(v);
    }, 250);
    const f = await withCpu([o.gateway.info.pid, o.redisPid ?? -1], () =>
      runLoad(o.load, { ...base, url: o.gateway.info.url, durationSec: o.durationSec, tag: uniqueTag('faq') }),
    ).finally(() => clearInterval(sampler));
    const faq = f.load;
    cpu.gateway.push(f.cpuMs[0]);
    if (o.redisPid) cpu.redis.push(f.cpuMs[1]);
    o.log(`  round ${r + 1}: FAQ         ${faq.rps.toFixed(0)} req/s p99 ${faq.latencyMs.p99} ms (non-2xx ${faq.non2xx}, errors ${faq.errors}); ` +
      `CPU per request: gateway ${f.cpuMs[0].toFixed(2)} ms, hello-world ${h.cpuMs[0].toFixed(2)} ms`);
    rounds.push({ faq, hello });
  }
  const rps = median(rounds.map((x) => x.faq.rps));
  const helloWorldRps = median(rounds.map((x) => x.hello.rps));
  return {
    connections: o.connections,
    durationSec: o.durationSec,
    rps,
    p50Ms: median(rounds.map((x) => x.faq.latencyMs.p50)),
    p99Ms: median(rounds.map((x) => x.faq.latencyMs.p99)),
    helloWorldRps,
    helloWorldP99Ms: median(rounds.map((x) => x.hello.latencyMs.p99)),
    ratio: rps / helloWorldRps,
    non2xx: rounds.reduce((a, x) => a + x.faq.non2xx, 0),
    errors: rounds.reduce((a, x) => a + x.faq.errors, 0),
    rounds,
    cpuMsPerRequest: {
      gateway: median(cpu.gateway),
      hello: median(cpu.hello),
      ...(cpu.redis.length ? { redisPerFaq: median(cpu.redis) } : {}),
      ratio: median(cpu.hello) / median(cpu.gateway),
    },
    gatewayRssMb: {
      ...(idle !== undefined ? { idle } : {}),
      ...(rss.length ? { peak: Math.max(...rss), mean: rss.reduce((a, b) => a + b, 0) / rss.length } : {}),
    },
  };
}
