// The console's ticket list: filters, text search, overdue first, paging. Overdue tickets (open and past
// their limit) come first, most overdue at the top, then everything else newest first (or soonest due first:
// with `sort=due` the whole list runs by due time, since every overdue ticket is due before the rest). The two parts are
// queried separately so each uses its index (status+due_at, created_at) instead of sorting a year of rows.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../tickets/db.js';
import { OPEN_STATUSES } from '../../tickets/ticket-statuses.js';
import { queryRows } from '../../reports/sql-rows.js';
import { sqlList } from '../../reports/status-sets.js';
import { calendarDate, dateRange, queryFlag, queryInt, safeString } from '../input-fields.js';

export const TicketListQuery = z
  .object({
    status: safeString(32).optional(),
    district: safeString(32).optional(),
    street: safeString(64).optional(),
    category: safeString(64).optional(),
    channel: safeString(32).optional(),
    unit: safeString(128).optional(),
    /** Tickets this unit is called in to (协办). */
    calledIn: safeString(128).optional(),
    overdue: queryFlag.optional(),
    /** Only tickets still being handled (received, dispatched, in progress, returned). */
    open: queryFlag.optional(),
    /** `due`: soonest due first (a unit's worklist); default: overdue first, then newest first. */
    sort: z.enum(['due']).optional(),
    /** Local calendar days, both inclusive. */
    from: calendarDate.optional(),
    to: calendarDate.optional(),
    q: safeString(100).trim().optional(),
    page: queryInt(1, 100_000).default(1),
    size: queryInt(1, 200).default(50),
  })
  .strict()
  .superRefine(dateRange());
export type TicketListParams = z.infer<typeof TicketListQuery>;

export interface TicketListItem {
  number: string;
  status: string;
  category: string | null;
  tier: string;
  district: string | null;
  street: string | null;
  unit: string | null;
  channel: string;
  text: string;
  dueAt: string;
  createdAt: string;
  overdue: boolean;
  duplicateOf: string | null;
  rating: string | null;
  /** Units called in to it (吹哨报到). */
  calledIn: string[];
}

interface Row {
  number: string;
  status: string;
  category: string | null;
  tier: string;
  district: string | null;
  street: string | null;
  unit: string | null;
  channel: string;
  text: string;
  due_at: Date;
  created_at: Date;
  overdue: boolean;
  duplicate_of: string | null;
  rating: string | null;
  called_in: string[] | null;
}

export const COUNT_CAP = 10_000;

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function ticketFilters(p: TicketListParams, range: { from?: Date; to?: Date }): SQL[] {
  const w: SQL[] = [];
  if (p.status) w.push(sql`t.status = ${p.status}`);
  if (p.district) w.push(sql`t.district = ${p.district}`);
  if (p.street) w.push(sql`t.street = ${p.street}`);
  if (p.category) w.push(p.category === 'other' ? sql`(t.category = 'other' or t.category is null)` : sql`t.category = ${p.category}`);
  if (p.channel) w.push(sql`t.channel = ${p.channel}`);
  if (p.unit) w.push(sql`t.unit = ${p.unit}`);
  if (p.open) w.push(sql`t.status in (${sqlList(OPEN_STATUSES)})`);
  if (p.calledIn) w.push(sql`exists (select 1 from ticket_callins c where c.ticket_id = t.id and c.unit = ${p.calledIn})`);
  if (range.from) w.push(sql`t.created_at >= ${range.from}`);
  if (range.to) w.push(sql`t.created_at < ${range.to}`);
  if (p.q) {
    const like = likePattern(p.q);
    w.push(sql`(t.number = ${p.q} or t.text ilike ${like} or t.street ilike ${like} or t.unit ilike ${like})`);
  }
  return w;
}

export async function listTickets(
  db: Db,
  p: TicketListParams,
  opts: { now: Date; range: { from?: Date; to?: Date }; scope?: SQL },
): Promise<{ total: number; totalCapped: boolean; overdueTotal: number; page: number; size: number; items: TicketListItem[] }> {
  const base = [...ticketFilters(p, opts.range), ...(opts.scope ? [opts.scope] : [])];
  const overdueCond = sql`(t.status in (${sqlList(OPEN_STATUSES)}) and t.due_at < ${opts.now})`;
  const where = (extra: SQL[]) => {
    const all = [...base, ...extra];
    return all.length ? sql`where ${sql.join(all, sql` and `)}` : sql``;
  };
  // Counting a year of rows exactly costs more than the page itself: the total is counted up to
  // COUNT_CAP (the page shows "10000+"); the overdue count uses the status+due_at index and is exact.
  const [[capped], [overdue]] = await Promise.all([
    queryRows<{ n: number }>(db, sql`select count(*)::int as n from (select 1 from tickets t ${where([])} limit ${COUNT_CAP + 1}) x`),
    queryRows<{ n: number }>(db, sql`select count(*)::int as n from tickets t ${where([overdueCond])}`),
  ]);
  const counts = { total: Math.min(capped.n, COUNT_CAP), overdue: overdue.n, more: capped.n > COUNT_CAP };
  const offset = (p.page - 1) * p.size;
  const cols = sql`t.number, t.status, t.category, t.tier, t.district, t.street, t.unit, t.channel, t.text, t.due_at, t.created_at, t.rating,
    ${overdueCond} as overdue, (select d.number from tickets d where d.id = t.duplicate_of) as duplicate_of,
    (select json_agg(c.unit order by c.id) from ticket_callins c where c.ticket_id = t.id) as called_in`;
  const rows: Row[] = [];
  // Only overdue tickets when the filter asks for them; else overdue first, then the rest.
  if (offset < counts.overdue) {
    rows.push(
      ...(await queryRows<Row>(
        db,
        sql`select ${cols} from tickets t ${where([overdueCond])} order by t.due_at, t.id limit ${p.size} offset ${offset}`,
      )),
    );
  }
  if (!p.overdue && rows.length < p.size) {
    const restOffset = Math.max(0, offset - counts.overdue);
    rows.push(
      ...(await queryRows<Row>(
        db,
        sql`select ${cols} from tickets t ${where([sql`not ${overdueCond}`])}
            order by ${p.sort === 'due' ? sql`t.due_at, t.id` : sql`t.created_at desc, t.id desc`} limit ${p.size - rows.length} offset ${restOffset}`,
      )),
    );
  }
  return {
    total: p.overdue ? counts.overdue : counts.total,
    totalCapped: !p.overdue && counts.more,
    overdueTotal: counts.overdue,
    page: p.page,
    size: p.size,
    items: rows.map((r) => ({
      number: r.number,
      status: r.status,
      category: r.category,
      tier: r.tier,
      district: r.district,
      street: r.street,
      unit: r.unit,
      channel: r.channel,
      text: r.text,
      dueAt: new Date(r.due_at).toISOString(),
      createdAt: new Date(r.created_at).toISOString(),
      overdue: r.overdue,
      duplicateOf: r.duplicate_of,
      rating: r.rating,
      calledIn: r.called_in ?? [],
    })),
  };
}
