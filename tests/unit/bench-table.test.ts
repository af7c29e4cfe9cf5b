// The benchmark's pure parts: the printed table and the /metrics parsing. No timing is asserted anywhere.
import { describe, expect, it } from 'vitest';
import { formatResults, renderTable, resultsRows, width } from '../../bench/table.js';
import { bucketsBetween, histogramBuckets, histogramQuantile, parsePrometheus, summarizeMetrics } from '../../bench/prometheus.js';
import type { BenchResults } from '../../bench/results.js';

const machine = { date: '2026-11-28T00:00:00.000Z', cores: 2, cpuModel: 'Test CPU', memoryGb: 8, platform: 'linux', node: 'v20.0.0', loadAvgStart: [1, 1, 1] };

function sample(): BenchResults {
  const latency = { mean: 5, p50: 4, p90: 8, p99: 12, p999: 20, max: 30 };
  const load = { requests: 1000, ok2xx: 1000, non2xx: 0, errors: 0, timeouts: 0, statusCodes: { '200': 1000 }, rps: 100, latencyMs: latency, durationS: 10, startedAt: 0, finishedAt: 10_000, sent: { faq: 1000, complaint: 0 } };
  const run = {
    placement: 'worker1' as const, complaints: 2000, loadSeconds: 10, acked: 2000, non2xx: 0, errors: 0, ackPerSecond: 200, ackP99Ms: 40,
    rows: 1500, perSecond: 50, steadyPerSecond: 55, drainAfterIntakeS: 15, latencyMs: { p50: 1000, p90: 2000, p99: 3000, max: 4000 }, drained: false, cpuSeconds: { gateway: 1 }, cpuMsPerTicket: { gateway: 0.5 }, queued: 2010, dbWaits: [{ what: 'Lock:transactionid (active) | insert', sessions: 7.5 }], stalled: false,
  };
  return {
    mode: 'quick',
    machine,
    faqHttp: { connections: 50, durationSec: 8, rps: 1200, p50Ms: 9, p99Ms: 25, helloWorldRps: 2000, helloWorldP99Ms: 10, ratio: 0.6, non2xx: 0, errors: 0, rounds: [{ faq: load, hello: load }], cpuMsPerRequest: { gateway: 2, hello: 0.5, ratio: 0.25 }, gatewayRssMb: { idle: 200, peak: 250.4 } },
    tickets: { perSecond: 50, rawBullmqPerSecond: 1000, ratio: 0.05, best: 'worker1', ackPerSecond: 200, rawAddPerSecond: 1500, ackRatio: 0.133, runs: [run], raw: { jobs: 3000, inFlight: 50, concurrency: 16, addPerSecond: 1500, perSecond: 1000, cpuSeconds: {}, stalled: false } },
    faqLatency: { rate: 1000, connections: 50, durationSec: 8, rps: 998, p50Ms: 3, p99Ms: 14, p999Ms: 30, non2xx: 0, helloWorld: { rps: 1000, p50Ms: 1, p99Ms: 4 } },
    rssMb: 250.4,
    soak: { skipped: 'quick mode' },
    errors: [{ part: 'matcher', message: 'boom\nstack' }],
    durationS: 100,
  };
}

describe('bench table', () => {
  it('pads columns by display width, counting CJK characters as two', () => {
    expect(width('abc')).toBe(3);
    expect(width('社保卡')).toBe(6);
    const lines = renderTable([['社保卡', 'x1', '', '', ''], ['ab', 'x22', '', '', '']], ['figure', 'measured', 'b', 'r', 't']).split('\n');
    // The second column starts at the same display column on every line.
    const col = (line: string) => width(line.slice(0, line.indexOf('x')));
    expect(col(lines[2])).toBe(col(lines[3]));
    expect(col(lines[2])).toBe(width('figure') + 2);
    expect(lines[1]).toMatch(/^─+ {2}─+/);
  });

  it('puts each figure next to its baseline, ratio and target', () => {
    const rows = resultsRows(sample());
    const faq = rows.find((r) => r[0].startsWith('FAQ answers'))!;
    expect(faq).toEqual(['FAQ answers, 50 connections', '1,200 req/s', 'hello-world 2,000 req/s', '0.60', '≥ 0.50 ✓']);
    const p99 = rows.find((r) => r[0].startsWith('FAQ latency at full speed'))!;
    expect(p99[4]).toBe('< 20 ms ✗');
    const steady = rows.find((r) => r[0].startsWith('FAQ latency at 1,000 req/s'))!;
    expect(steady.slice(1)).toEqual(['14 ms (3.0 ms), 998 req/s served', 'hello-world 4.0 ms (1.0 ms)', '', '< 20 ms ✓']);
    const tickets = rows.find((r) => r[0].startsWith('Tickets'))!;
    expect(tickets[0]).toContain('1 `jiesu worker` process');
    expect(tickets[2]).toBe('raw BullMQ no-op 1,000 /s');
    expect(tickets[4]).toBe('≥ 1,000/s ✗, ≥ 0.30 ✗');
    expect(rows.some((r) => r[1].includes('1,500/2,010 rows, drain time ran out'))).toBe(true);
    expect(rows.find((r) => r[0].includes('busiest database state'))?.[1]).toBe('7.50 sessions');
    expect(rows.find((r) => r[0] === 'Soak')?.[1]).toBe('skipped (quick mode)');
  });

  it('prints the machine, the table and the failed parts', () => {
    const text = formatResults(sample());
    expect(text.split('\n')[0]).toContain('2 cores Test CPU');
    expect(text).toContain('✗ matcher failed: boom');
    expect(text).not.toContain('stack');
  });
});

describe('bench /metrics parsing', () => {
  const text = [
    '# HELP jiesu_intake_messages_total x',
    'jiesu_intake_messages_total{channel="webchat",outcome="answered",kind="faq"} 90',
    'jiesu_intake_messages_total{channel="webchat",outcome="queued",kind="ticket"} 10',
    'jiesu_tickets_created_total{channel="webchat"} 10',
    'jiesu_ticket_latency_seconds_bucket{le="0.1"} 5',
    'jiesu_ticket_latency_seconds_bucket{le="1"} 9',
    'jiesu_ticket_latency_seconds_bucket{le="+Inf"} 10',
    'jiesu_ticket_latency_seconds_sum 6',
    'jiesu_ticket_latency_seconds_count 10',
    'jiesu_queue_jobs{queue="tickets",state="waiting"} 3',
    'jiesu_process_resident_memory_bytes 104857600',
  ].join('\n');

  it('sums counters by label and estimates quantiles from buckets', () => {
    const m = summarizeMetrics(text);
    expect(m.intake).toEqual({ 'webchat/answered/faq': 90, 'webchat/queued/ticket': 10 });
    expect(m.ticketsCreated).toBe(10);
    expect(m.ticketLatencySeconds?.count).toBe(10);
    expect(m.ticketLatencySeconds?.mean).toBeCloseTo(0.6);
    expect(m.ticketLatencySeconds?.p50).toBeCloseTo(0.1);
    expect(m.queueJobs).toEqual({ 'tickets/waiting': 3 });
    expect(m.processRssMb).toBe(100);
  });

  it('interpolates inside a bucket and stops at the last finite bound', () => {
    expect(histogramQuantile(0.5, [{ le: 1, count: 0 }, { le: 3, count: 10 }])).toBeCloseTo(2);
    expect(histogramQuantile(0.99, [{ le: 1, count: 5 }, { le: Infinity, count: 10 }])).toBe(1);
    expect(histogramQuantile(0.5, [])).toBeUndefined();
  });

  it('takes one series of a histogram and what it observed between two scrapes', () => {
    const scrape = (fast: number, slow: number) =>
      [
        `jiesu_intake_seconds_bucket{le="0.001",channel="webchat",status="answered"} ${fast}`,
        `jiesu_intake_seconds_bucket{le="0.01",channel="webchat",status="answered"} ${fast + slow}`,
        `jiesu_intake_seconds_bucket{le="+Inf",channel="webchat",status="answered"} ${fast + slow}`,
        `jiesu_intake_seconds_bucket{le="0.001",channel="webchat",status="queued"} 999`,
      ].join('\n');
    const pick = (text: string) => histogramBuckets(parsePrometheus(text), 'jiesu_intake_seconds', { channel: 'webchat', status: 'answered' });
    const between = bucketsBetween(pick(scrape(100, 0)), pick(scrape(190, 10)));
    expect(between).toEqual([{ le: 0.001, count: 90 }, { le: 0.01, count: 100 }, { le: Infinity, count: 100 }]);
    // 90 of the 100 new ones were under 1 ms: the median is in the first bucket, the p99 in the second.
    expect(histogramQuantile(0.5, between)).toBeLessThan(0.001);
    expect(histogramQuantile(0.99, between)).toBeGreaterThan(0.001);
  });
});
