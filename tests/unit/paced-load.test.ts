// The paced open-loop load generator (bench/paced-load.ts): exact nearest-rank percentiles, requests sent on
// an even schedule, and latency timed from the intended send time so a stall shows up in the requests behind it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { intendedAt, nearestRank, runPaced, summarize } from '../../bench/paced-load.js';

describe('paced load percentiles', () => {
  it('takes the nearest rank of the sorted values', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => 100 - i)); // 100..1, unsorted on purpose
    expect(s).toEqual({ mean: 50.5, p50: 50, p90: 90, p99: 99, p999: 100, max: 100 });
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    // 99.9% of 1000 is rank 999 exactly; float noise must not round it up to 1000.
    expect(summarize(thousand).p999).toBe(999);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4], 51)).toBe(3);
    expect(nearestRank([7], 99.9)).toBe(7);
    expect(nearestRank([3, 9], 0)).toBe(3);
  });

  it('leaves out requests without a response and is NaN when there are none', () => {
    expect(summarize([NaN, 2, NaN, 4]).p99).toBe(4);
    expect(summarize([NaN, 2, NaN, 4]).p50).toBe(2);
    expect(Number.isNaN(summarize([]).p50)).toBe(true);
  });

  it('schedules request i at start + i/rate, computed rather than accumulated', () => {
    expect(intendedAt(1000, 0, 1000)).toBe(1000);
    expect(intendedAt(1000, 1, 1000)).toBe(1001);
    expect(intendedAt(0, 3, 2000)).toBe(1.5);
    expect(intendedAt(0, 999_999, 1000)).toBe(999_999);
  });
});

describe('paced load against a local server', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  /** A server that answers at once, except request `slowIndex` (by its messageId), which it holds `delayMs`. */
  async function start(slowIndex: number, delayMs: number) {
    const arrivals: { i: number; at: number; body: { sessionId: string; messageId: string; text: string } }[] = [];
    server = http.createServer((req, res) => {
      const at = performance.now();
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as { sessionId: string; messageId: string; text: string };
        const i = parseInt(body.messageId.split('-')[1], 36);
        arrivals.push({ i, at, body });
        const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        if (i === slowIndex) setTimeout(answer, delayMs);
        else answer();
      });
    });
    server.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server!.once('listening', () => r()));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals };
  }

  it('sends on an even schedule, never early, with a fresh session per request', async () => {
    const { url, arrivals } = await start(-1, 0);
    const rate = 200;
    const run = await runPaced({ url, rate, durationSec: 0.5, connections: 4, tag: 'pt' });
    expect(run.result.scheduled).toBe(100);
    expect(run.result.requests).toBe(100);
    expect(run.result.ok2xx).toBe(100);
    expect(run.result.non2xx + run.result.errors + run.result.timeouts).toBe(0);
    expect(arrivals).toHaveLength(100);
    for (const a of arrivals) expect(a.at).toBeGreaterThanOrEqual(intendedAt(run.startMs, a.i, rate) - 0.5);
    // Not a burst: the arrivals span (nearly) the whole half second, as autocannon's overallRate would not.
    const times = arrivals.map((a) => a.at).sort((x, y) => x - y);
    expect(times[times.length - 1] - times[0]).toBeGreaterThan(0.9 * (99 / rate) * 1000);
    expect(new Set(arrivals.map((a) => a.body.sessionId)).size).toBe(100);
    expect(arrivals[0].body.sessionId.startsWith('pt-')).toBe(true);
    expect(arrivals.every((a) => a.body.text.length > 0)).toBe(true);
    expect(run.result.rps).toBeGreaterThan(rate * 0.8);
  });

  it('charges a 200 ms stall to the requests queued behind it (one connection)', async () => {
    const { url } = await start(5, 200);
    const rate = 100; // one request every 10 ms
    const run = await runPaced({ url, rate, durationSec: 0.6, connections: 1, tag: 'ps' });
    const lat = run.latencyByIndex;
    expect(run.result.requests).toBe(60);
    expect(lat[5]).toBeGreaterThanOrEqual(195);
    // Request 6 was due 10 ms after the slow one but could only be sent once it was answered: it waited
    // about 190 ms. Timed from its actual send it would look like ~1 ms (coordinated omission).
    expect(lat[6]).toBeGreaterThanOrEqual(180);
    expect(lat[15]).toBeGreaterThanOrEqual(90);
    // Everything the stall held up (requests 5..24) is slower than the requests before it.
    const held = Array.from(lat.slice(5, 20));
    expect(Math.min(...held)).toBeGreaterThan(Math.max(...Array.from(lat.slice(0, 5))));
    expect(run.result.latencyMs.max).toBeGreaterThanOrEqual(195);
    expect(run.result.latencyMs.p90).toBeGreaterThanOrEqual(50);
  });
});
