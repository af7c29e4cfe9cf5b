// High-frequency items (高频事项): the same kind of problem at the same street, counted in the period, with
// the previous period's count for the change. Tickets without a street are left out: they cannot be acted
// on as a place.
import { sql } from 'drizzle-orm';
import type { Db } from '../tickets/db.js';
import type { Period } from './period.js';
import { queryRows } from './sql-rows.js';

export interface HighFrequencyItem {
  category: string;
  district: string;
  street: string;
  count: number;
  previous: number;
}

export async function highFrequencyItems(db: Db, period: Period, previous: Period, limit = 10): Promise<HighFrequencyItem[]> {
  return queryRows<HighFrequencyItem>(
    db,
    sql`with cur as (
          select coalesce(category, 'other') as category, coalesce(district, '') as district, street, count(*)::int as count
          from tickets
          where created_at >= ${period.from} and created_at < ${period.to} and street is not null
          group by 1, 2, 3
          order by count desc, 2, 3, 1
          limit ${limit}
        ), prev as (
          select coalesce(t.category, 'other') as category, t.street, count(*)::int as n
          from tickets t
          join (select distinct category, street from cur) c on c.street = t.street and c.category = coalesce(t.category, 'other')
          where t.created_at >= ${previous.from} and t.created_at < ${previous.to}
          group by 1, 2
        )
        select cur.category, cur.district, cur.street, cur.count, coalesce(prev.n, 0)::int as previous
        from cur left join prev on prev.category = cur.category and prev.street = cur.street
        order by cur.count desc, cur.district, cur.street, cur.category`,
  );
}
