// Supervision (督办): a ticket still open past its time limit is flagged once — `overdue_at` set, an
// 'overdue' event by 'system' that owes the staff channel an alert — and shown first in the list. Run by the
// periodic `overdue` job with the real clock, and by tests with any clock.
import { and, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from './db.js';
import { ticketEvents, tickets, type TicketEventRow } from './schema.js';
import { OPEN_STATUSES } from './ticket-statuses.js';
import { isTier } from './time-limits.js';
import { TIER_LABEL } from '../core/time-limit-labels.js';

/** Flags every open ticket past its due time not flagged yet; returns the events written (for the notifier). */
export async function flagOverdue(db: Db, now: Date, limit = 500): Promise<TicketEventRow[]> {
  const due = await db
    .select({ id: tickets.id, dueAt: tickets.dueAt })
    .from(tickets)
    .where(and(lt(tickets.dueAt, now), isNull(tickets.overdueAt), inArray(tickets.status, [...OPEN_STATUSES])))
    .limit(limit);
  const written: TicketEventRow[] = [];
  for (const t of due) {
    const events = await db.transaction(async (tx) => {
      // Re-checked under the row lock: a concurrent check, or a status change since the scan, wins.
      const [row] = await tx.select().from(tickets).where(eq(tickets.id, t.id)).for('update');
      if (!row || row.overdueAt || !OPEN_STATUSES.includes(row.status as never) || row.dueAt >= now) return [];
      await tx.update(tickets).set({ overdueAt: now }).where(eq(tickets.id, row.id));
      return tx
        .insert(ticketEvents)
        .values({
          ticketId: row.id,
          kind: 'overdue',
          fromStatus: row.status,
          toStatus: row.status,
          actor: 'system',
          unit: row.unit,
          // For operators on the timeline (the event's own time is when it was noticed; the due time is on the ticket).
          note: `已超过${isTier(row.tier) ? TIER_LABEL.zh[row.tier] : row.tier}办理时限`,
          // Once per time limit: a reopened ticket gets a new due time and may be flagged again.
          dedupeKey: `overdue:${row.id}:${row.dueAt.getTime()}`,
          notify: 'staff',
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning();
    });
    written.push(...events);
  }
  return written;
}
