// Reads the gateway's /metrics (Prometheus text format) into the figures the results keep: intake counts by
// outcome, tickets created, ticket latency quantiles (estimated from the histogram's buckets, as Prometheus's
// histogram_quantile does), queue depth and age, outbound results, and the process's own RSS.
/** The bearer token the bench's gateways require on /metrics (env.ts gives it to them, metricsText sends it). */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';

export interface Sample { name: string; labels: Record<string, string>; value: number }

export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** The q-quantile of a cumulative histogram, linearly interpolated inside the bucket it falls in. */
export function histogramQuantile(q: number, buckets: { le: number; count: number }[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (!total) return undefined;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of sorted) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return prevLe; // beyond the last finite bucket: its bound is all we know
      const inBucket = b.count - prevCount;
      return inBucket ? prevLe + ((b.le - prevLe) * (rank - prevCount)) / inBucket : b.le;
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

export interface MetricsSummary {
  intake: Record<string, number>;
  ticketsCreated: number;
  ticketLatencySeconds?: { count: number; mean: number; p50?: number; p90?: number; p99?: number };
  queueJobs: Record<string, number>;
  queueOldestWaitingSeconds: Record<string, number>;
  outbound: Record<string, number>;
  processRssMb?: number;
}

export function summarizeMetrics(text: string): MetricsSummary {
  const samples = parsePrometheus(text);
  const sum = (name: string) => samples.filter((s) => s.name === name).reduce((a, s) => a + s.value, 0);
  const keyed = (name: string, key: (l: Record<string, string>) => string) => {
    const out: Record<string, number> = {};
    for (const s of samples.filter((x) => x.name === name)) out[key(s.labels)] = (out[key(s.labels)] ?? 0) + s.value;
    return out;
  };
  const buckets = histogramBuckets(samples, 'jiesu_ticket_latency_seconds', {});
  const count = sum('jiesu_ticket_latency_seconds_count');
  const rss = samples.find((s) => s.name === 'jiesu_process_resident_memory_bytes');
  return {
    intake: keyed('jiesu_intake_messages_total', (l) => `${l.channel}/${l.outcome}/${l.kind}`),
    ticketsCreated: sum('jiesu_tickets_created_total'),
    ...(count
      ? {
          ticketLatencySeconds: {
            count,
            mean: sum('jiesu_ticket_latency_seconds_sum') / count,
            p50: histogramQuantile(0.5, buckets),
            p90: histogramQuantile(0.9, buckets),
            p99: histogramQuantile(0.99, buckets),
          },
        }
      : {}),
    queueJobs: keyed('jiesu_queue_jobs', (l) => `${l.queue}/${l.state}`),
    queueOldestWaitingSeconds: keyed('jiesu_queue_oldest_waiting_seconds', (l) => l.queue),
    outbound: keyed('jiesu_outbound_total', (l) => `${l.channel}/${l.result}`),
    ...(rss ? { processRssMb: rss.value / 2 ** 20 } : {}),
  };
}

/** A gateway's /metrics, as text. */
export async function metricsText(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

export async function scrape(url: string): Promise<MetricsSummary> {
  return summarizeMetrics(await metricsText(url));
}

/** The cumulative buckets of one histogram series, by `le`. */
export type Buckets = { le: number; count: number }[];

/** The buckets of histogram `name`'s series that carries `labels`. */
export function histogramBuckets(samples: Sample[], name: string, labels: Record<string, string>): Buckets {
  return samples
    .filter((s) => s.name === `${name}_bucket` && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), count: s.value }));
}

/** What was observed between two scrapes of the same histogram: the later buckets minus the earlier ones. */
export function bucketsBetween(before: Buckets, after: Buckets): Buckets {
  const earlier = new Map(before.map((b) => [b.le, b.count]));
  return after.map((b) => ({ le: b.le, count: b.count - (earlier.get(b.le) ?? 0) }));
}
