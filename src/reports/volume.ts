// Ticket volume in a period, grouped by one dimension (channel, category, district, street, unit, tier),
// with the previous period's count beside it so bulletins can say "比前一日 +12".
import { sql } from 'drizzle-orm';
import type { Db } from '../tickets/db.js';
import type { Period } from './period.js';
import { queryRows } from './sql-rows.js';
import { sqlList, FINISHED_STATUSES } from './status-sets.js';

export const DIMENSIONS = ['channel', 'category', 'district', 'street', 'unit', 'tier'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface CountRow {
  key: string;
  count: number;
  previous: number;
}

/** Counts per key in `period`, plus the same keys' counts in `previous`; biggest first. */
export async function countBy(db: Db, dim: Dimension, period: Period, previous: Period, limit = 100): Promise<CountRow[]> {
  if (!DIMENSIONS.includes(dim)) throw new RangeError(`unknown dimension ${dim}`);
  const col = sql.raw(dim);
  return queryRows<CountRow>(
    db,
    sql`select coalesce(${col}, '') as key,
          (count(*) filter (where created_at >= ${period.from}))::int as count,
          (count(*) filter (where created_at < ${period.from}))::int as previous
        from tickets
        where created_at >= ${previous.from} and created_at < ${period.to}
        group by 1
        having count(*) filter (where created_at >= ${period.from}) > 0
        order by count desc, key
        limit ${limit}`,
  );
}

export async function countReceived(db: Db, period: Period): Promise<number> {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from tickets where created_at >= ${period.from} and created_at < ${period.to}`,
  );
  return r.n;
}

export interface FlowCounts {
  /** Tickets received in the period. */
  received: number;
  /** Tickets that reached 'resolved' for the first time in the period (办结), whenever received. */
  closed: number;
  /** Tickets refused in the period. */
  rejected: number;
  /** Tickets whose time limit ended in the period without their being closed by then (逾期). */
  becameOverdue: number;
  /** Right now: open tickets past their time limit (the console's "overdue first"). */
  overdueOpenNow: number;
}

export async function flowCounts(db: Db, period: Period, now: Date): Promise<FlowCounts> {
  const received = await countReceived(db, period);
  // A reopened ticket (不满意 → back to work) is resolved twice; it counts once, on its first resolution.
  const [events] = await queryRows<{ closed: number; rejected: number }>(
    db,
    sql`select (count(distinct ticket_id) filter (where to_status = 'resolved'))::int as closed,
               (count(distinct ticket_id) filter (where to_status = 'rejected'))::int as rejected
        from ticket_events
        where to_status in ('resolved', 'rejected')
          and created_at >= ${period.from} and created_at < ${period.to}
          and not exists (
            select 1 from ticket_events p
            where p.ticket_id = ticket_events.ticket_id
              and p.to_status = ticket_events.to_status and p.created_at < ${period.from})`,
  );
  const [late] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from tickets t
        where t.due_at >= ${period.from} and t.due_at < ${period.to}
          and not exists (
            select 1 from ticket_events e
            where e.ticket_id = t.id
              and e.to_status in (${sqlList(FINISHED_STATUSES)}) and e.created_at <= t.due_at)`,
  );
  const [open] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from tickets
        where due_at < ${now} and status not in (${sqlList(FINISHED_STATUSES)})`,
  );
  return { received, closed: events.closed, rejected: events.rejected, becameOverdue: late.n, overdueOpenNow: open.n };
}
