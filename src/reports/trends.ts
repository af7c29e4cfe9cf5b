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
    // Grouped on the truncated timestamp and formatted afterwards: to_char on every row costs more than the count.
    sql`with d as (
          select to_char(day, 'YYYY-MM-DD') as day, n from (
            select date_trunc('day', created_at at time zone ${timeZone}) as day, count(*)::int as n
            from tickets where created_at >= ${period.from} and created_at < ${period.to}
            group by 1) x
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
 * The special themes (违法建设, 物业管理, 群租房, 停车) counted per week or per month over consecutive periods
 * of one kind (weeks or months) ending with the latest, so the page can draw each theme's line. Buckets are
 * cut with date_trunc in local time (a week starts on Monday, as weekPeriod does): one grouped scan.
 */
export async function themeSeries(db: Db, periods: Period[], timeZone: string): Promise<ThemePoint[]> {
  if (!periods.length) return [];
  const unit = periods[0].kind === 'week' ? 'week' : 'month';
  const allCats = THEMES.flatMap((t) => t.categories);
  const rows = await queryRows<{ category: string; bucket: string; count: number }>(
    db,
    sql`select category, to_char(b, 'YYYY-MM-DD') as bucket, count from (
          select category, date_trunc(${unit}, created_at at time zone ${timeZone}) as b, count(*)::int as count
          from tickets
          where created_at >= ${periods[0].from} and created_at < ${periods[periods.length - 1].to} and category in (${sqlList(allCats)})
          group by 1, 2) x`,
  );
  const out: ThemePoint[] = [];
  for (const theme of THEMES)
    for (const p of periods) {
      const count = rows.filter((r) => r.bucket === p.start && theme.categories.includes(r.category)).reduce((n, r) => n + r.count, 0);
      out.push({ theme: theme.id, bucket: p.start, count });
    }
  return out;
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
