// Spike detection: a category at a street rising well above its usual level (14 fallen-tree reports in one
// windy night where there are usually none). The last `windowHours` are compared with the trailing
// `baselineDays` days before them, cut into windows of the same length (days with no tickets count as 0):
// a spike needs at least `minCount` tickets AND at least mean + z × spread, where the spread is the larger
// of the observed stddev, √mean (the Poisson noise of counts: a busy street's 8 after a usual 3 is chance)
// and 1 (so a street that usually has exactly zero does not alert on two or three reports).
import { sql } from 'drizzle-orm';
import type { Db } from '../tickets/db.js';
import { queryRows } from './sql-rows.js';

export interface SpikeOptions {
  asOf: Date;
  windowHours?: number;
  baselineDays?: number;
  minCount?: number;
  z?: number;
  /** How many linked ticket numbers to return per spike. */
  ticketLimit?: number;
}

export const SPIKE_DEFAULTS = { windowHours: 24, baselineDays: 28, minCount: 6, z: 4, ticketLimit: 50 } as const;

export interface Spike {
  district: string;
  street: string;
  category: string;
  count: number;
  /** Mean and standard deviation of the count per window over the baseline. */
  mean: number;
  stddev: number;
  /** (count − mean) / spread: how unusual it is. */
  z: number;
  windowStart: string;
  windowEnd: string;
  firstAt: string;
  lastAt: string;
  tickets: string[];
}

interface RawSpike {
  district: string;
  street: string;
  category: string;
  count: number;
  mean: number;
  stddev: number;
  first_at: Date;
  last_at: Date;
}

export function spread(mean: number, stddev: number): number {
  return Math.max(stddev, Math.sqrt(mean), 1);
}

export async function detectSpikes(db: Db, options: SpikeOptions): Promise<Spike[]> {
  const o = { ...SPIKE_DEFAULTS, ...options };
  const windowMs = o.windowHours * 3600_000;
  const windowStart = new Date(o.asOf.getTime() - windowMs);
  const baselineStart = new Date(windowStart.getTime() - o.baselineDays * 86_400_000);
  const buckets = Math.max(1, Math.round((o.baselineDays * 86_400_000) / windowMs));
  // The tickets_cluster_idx index (category, street, created_at) serves both the window and the baseline.
  const raw = await queryRows<RawSpike>(
    db,
    sql`with recent as (
          select category, street, max(coalesce(district, '')) as district, count(*)::int as count,
                 min(created_at) as first_at, max(created_at) as last_at
          from tickets
          where created_at >= ${windowStart} and created_at < ${o.asOf} and street is not null and category is not null
          group by 1, 2
          having count(*) >= ${o.minCount}
        ), base as (
          select t.category, t.street,
                 floor(extract(epoch from (${windowStart}::timestamptz - t.created_at)) * 1000 / ${windowMs})::int as b,
                 count(*)::int as n
          from tickets t join recent r on r.category = t.category and r.street = t.street
          where t.created_at >= ${baselineStart} and t.created_at < ${windowStart}
          group by 1, 2, 3
        ), stats as (
          select category, street, sum(n)::float8 / ${buckets} as mean, sum(n * n)::float8 / ${buckets} as mean_sq
          from base group by 1, 2
        )
        select r.district, r.street, r.category, r.count, r.first_at, r.last_at,
               coalesce(s.mean, 0)::float8 as mean,
               sqrt(greatest(coalesce(s.mean_sq, 0) - coalesce(s.mean, 0) ^ 2, 0))::float8 as stddev
        from recent r left join stats s on s.category = r.category and s.street = r.street`,
  );
  const spikes = raw
    .map((r) => ({ ...r, zScore: (r.count - r.mean) / spread(r.mean, r.stddev) }))
    .filter((r) => r.count >= r.mean + o.z * spread(r.mean, r.stddev))
    .sort((a, b) => b.zScore - a.zScore || b.count - a.count || a.street.localeCompare(b.street));
  const out: Spike[] = [];
  for (const r of spikes) {
    const tickets = await queryRows<{ number: string }>(
      db,
      sql`select number from tickets
          where category = ${r.category} and street = ${r.street} and created_at >= ${windowStart} and created_at < ${o.asOf}
          order by created_at, id limit ${o.ticketLimit}`,
    );
    out.push({
      district: r.district,
      street: r.street,
      category: r.category,
      count: r.count,
      mean: Math.round(r.mean * 100) / 100,
      stddev: Math.round(r.stddev * 100) / 100,
      z: Math.round(r.zScore * 100) / 100,
      windowStart: windowStart.toISOString(),
      windowEnd: o.asOf.toISOString(),
      firstAt: new Date(r.first_at).toISOString(),
      lastAt: new Date(r.last_at).toISOString(),
      tickets: tickets.map((t) => t.number),
    });
  }
  return out;
}
