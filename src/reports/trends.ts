// Time series and movers for the weekly and monthly analyses: volume per local day, the categories rising
// fastest against the previous period, and the special themes followed over several periods.
import { sql } from 'drizzle-orm';
import type { Db } from '../tickets/db.js';
import type { Period } from './period.js';
import { queryRows } from './sql-rows.js';
import { THEMES } from './labels.js';
import { sqlList } from './status-sets.js';

export interface DayCount {
  day: string;
  count: number;
}

/** Tickets per local day over the period; days without tickets are present with 0. */
export async function dailySeries(db: Db, period: Period, timeZone: string): Promise<DayCount[]> {
  return queryRows<DayCount>(
    db,
    sql`with d as (
          select to_char(created_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, count(*)::int as n
          from tickets where created_at >= ${period.from} and created_at < ${period.to}
          group by 1
        )
        select to_char(g.day, 'YYYY-MM-DD') as day, coalesce(d.n, 0)::int as count
        from generate_series(${period.start}::date, ${period.end}::date, interval '1 day') as g(day)
        left join d on d.day = to_char(g.day, 'YYYY-MM-DD')
        order by 1`,
  );
}

export interface RisingCategory {
  category: string;
  count: number;
  previous: number;
  /** Relative change, smoothed so a category going from 1 to 3 does not top the list: (n − p) / max(p, floor). */
  growth: number;
}

/** Categories ordered by how fast they grew against the previous period (only those that grew). */
export async function risingCategories(db: Db, period: Period, previous: Period, limit = 5, floor = 10): Promise<RisingCategory[]> {
  return queryRows<RisingCategory>(
    db,
    sql`with c as (
          select coalesce(category, 'other') as category,
                 (count(*) filter (where created_at >= ${period.from}))::int as count,
                 (count(*) filter (where created_at < ${period.from}))::int as previous
          from tickets where created_at >= ${previous.from} and created_at < ${period.to}
          group by 1
        )
        select category, count, previous,
               round(((count - previous)::numeric / greatest(previous, ${floor})), 4)::float8 as growth
        from c where count > previous
        order by growth desc, count desc, category
        limit ${limit}`,
  );
}

export interface ThemePoint {
  theme: string;
  /** Start of the bucket, YYYY-MM-DD local. */
  bucket: string;
  count: number;
}

/**
 * The special themes (违法建设, 物业管理, 群租房, 停车) counted per week or per month over `buckets` periods
 * ending with `period`, so the page can draw each theme's line.
 */
export async function themeSeries(db: Db, periods: Period[]): Promise<ThemePoint[]> {
  if (!periods.length) return [];
  const first = periods[0].from;
  const last = periods[periods.length - 1].to;
  const allCats = THEMES.flatMap((t) => t.categories);
  const rows = await queryRows<{ category: string; bucket: number; count: number }>(
    db,
    sql`select category, b.i::int as bucket, count(*)::int as count
        from tickets t
        join (select * from unnest(${pgArray(periods.map((p) => p.from))}::timestamptz[],
                                   ${pgArray(periods.map((p) => p.to))}::timestamptz[])
                     with ordinality as x(f, e, i)) b
          on t.created_at >= b.f and t.created_at < b.e
        where t.created_at >= ${first} and t.created_at < ${last} and t.category in (${sqlList(allCats)})
        group by 1, 2`,
  );
  const out: ThemePoint[] = [];
  for (const theme of THEMES) {
    periods.forEach((p, i) => {
      const count = rows.filter((r) => r.bucket === i + 1 && theme.categories.includes(r.category)).reduce((s, r) => s + r.count, 0);
      out.push({ theme: theme.id, bucket: p.start, count });
    });
  }
  return out;
}

/**
 * A Postgres array literal passed as one text parameter: drizzle's sql template would expand a JS array
 * into a parenthesized list, and the two drivers serialize array parameters differently.
 */
function pgArray(dates: Date[]): string {
  return `{${dates.map((d) => `"${d.toISOString()}"`).join(',')}}`;
}

export interface StreetCount {
  district: string;
  street: string;
  count: number;
  previous: number;
}

/** The busiest streets of the period, with their previous-period counts. */
export async function busiestStreets(db: Db, period: Period, previous: Period, limit = 10): Promise<StreetCount[]> {
  return queryRows<StreetCount>(
    db,
    sql`select coalesce(district, '') as district, street,
               (count(*) filter (where created_at >= ${period.from}))::int as count,
               (count(*) filter (where created_at < ${period.from}))::int as previous
        from tickets
        where created_at >= ${previous.from} and created_at < ${period.to} and street is not null
        group by 1, 2
        having count(*) filter (where created_at >= ${period.from}) > 0
        order by count desc, district, street
        limit ${limit}`,
  );
}
