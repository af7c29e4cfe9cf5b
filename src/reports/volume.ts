// Ticket volume in a period, grouped by one dimension (channel, category, district, street, unit, tier),
// with the previous period's count beside it so bulletins can say "比前一日 +12".
import { sql } from 'drizzle-orm';
import type { Db } from '../tickets/db.js';
import type { Period } from './period.js';
import { queryRows } from './sql-rows.js';
import { sqlList, FINISHED_STATUSES } from './status-sets.js';
import { OPEN_STATUSES } from '../tickets/ticket-statuses.js';

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
  /** Tickets resolved in the period (办结), whenever received; each ticket once. */
  closed: number;
  /** Tickets refused in the period. */
  rejected: number;
  /**
   * Tickets whose time limit ended in the period, and has ended already, without their being finished by then
   * (逾期): still open past their deadline, or finished after it. A deadline still ahead is not overdue, however
   * the period ends (the current week or month).
   */
  becameOverdue: number;
  /** Right now: open tickets past their time limit (the console's "overdue first"). */
  overdueOpenNow: number;
}

export async function flowCounts(db: Db, period: Period, now: Date): Promise<FlowCounts> {
  const received = await countReceived(db, period);
  // Distinct tickets: one resolved, reopened (不满意) and resolved again within the period counts once; one
  // reopened and resolved again in a later period is that period's work too.
  const [events] = await queryRows<{ closed: number; rejected: number }>(
    db,
    sql`select (count(distinct ticket_id) filter (where to_status = 'resolved'))::int as closed,
               (count(distinct ticket_id) filter (where to_status = 'rejected'))::int as rejected
        from ticket_events
        where to_status in ('resolved', 'rejected') and created_at >= ${period.from} and created_at < ${period.to}`,
  );
  // Became overdue: due in the period and before now, and not finished by then. A finishing event that counts
  // lies between the ticket's creation (at most 15 days before its due time, +1 day of margin) and the end of the
  // period, which bounds the events read to that window (an index range instead of one probe per ticket).
  const lateBy = new Date(Math.min(period.to.getTime(), now.getTime()));
  const [late] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from tickets t
        where t.due_at >= ${period.from} and t.due_at < ${lateBy}
          and not exists (
            select 1 from ticket_events e
            where e.ticket_id = t.id and e.to_status in (${sqlList(FINISHED_STATUSES)})
              and e.created_at <= t.due_at
              and e.created_at >= ${new Date(period.from.getTime() - 16 * 86_400_000)} and e.created_at < ${period.to})`,
  );
  const [open] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from tickets where due_at < ${now} and status in (${sqlList(OPEN_STATUSES)})`,
  );
  return { received, closed: events.closed, rejected: events.rejected, becameOverdue: late.n, overdueOpenNow: open.n };
}
