// The heat map: streets × categories for a period. Only the busiest streets are kept (a 349-row matrix is
// unreadable); a district filter narrows it to one district's streets.
import { sql } from 'drizzle-orm';
import type { Db } from '../tickets/db.js';
import type { Period } from './period.js';
import { queryRows } from './sql-rows.js';

export interface HeatMap {
  streets: { district: string; street: string; total: number }[];
  /** Category ids, busiest first. */
  categories: string[];
  /** [street index, category index, count] for every non-zero cell. */
  cells: [number, number, number][];
  max: number;
}

export async function heatMap(db: Db, period: Period, opts: { district?: string; topStreets?: number } = {}): Promise<HeatMap> {
  const top = Math.max(1, Math.min(opts.topStreets ?? 30, 400));
  const district = opts.district ? sql`and district = ${opts.district}` : sql``;
  const rows = await queryRows<{ district: string; street: string; category: string; count: number; street_total: number }>(
    db,
    sql`with cells as (
          select coalesce(district, '') as district, street, coalesce(category, 'other') as category, count(*)::int as count
          from tickets
          where created_at >= ${period.from} and created_at < ${period.to} and street is not null ${district}
          group by 1, 2, 3
        ), streets as (
          select district, street, sum(count)::int as street_total from cells
          group by 1, 2 order by street_total desc, district, street limit ${top}
        )
        select c.district, c.street, c.category, c.count, s.street_total
        from cells c join streets s using (district, street)`,
  );
  const streetTotals = new Map<string, { district: string; street: string; total: number }>();
  const catTotals = new Map<string, number>();
  for (const r of rows) {
    streetTotals.set(`${r.district}\u0000${r.street}`, { district: r.district, street: r.street, total: r.street_total });
    catTotals.set(r.category, (catTotals.get(r.category) ?? 0) + r.count);
  }
  const streets = [...streetTotals.values()].sort((a, b) => b.total - a.total || a.district.localeCompare(b.district) || a.street.localeCompare(b.street));
  const categories = [...catTotals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
  const si = new Map(streets.map((s, i) => [`${s.district}\u0000${s.street}`, i]));
  const ci = new Map(categories.map((c, i) => [c, i]));
  const cells: [number, number, number][] = rows.map((r) => [si.get(`${r.district}\u0000${r.street}`)!, ci.get(r.category)!, r.count]);
  cells.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { streets, categories, cells, max: cells.reduce((m, c) => Math.max(m, c[2]), 0) };
}
