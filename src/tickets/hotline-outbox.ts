// The outbox between status changes made here and the external hotline system. When HOTLINE_URL is set, a
// change made in Jiesu (console, API, a citizen's return-visit answer) writes its event with `hotline_owed` in
// the same transaction; after the commit it is queued as a `hotline-sync` 'event' job whose id is the event's,
// and the periodic sweep queues any a dying writer left behind (re-adding a queued one is a no-op). The
// event is marked `hotline_sent_at` only when the hotline has accepted it, and a ticket's events go in order:
// one waits (and is retried) while the hotline does not have the ticket yet or an earlier event is unsent.
import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from './db.js';
import { ticketEvents, tickets, type TicketEventRow, type TicketRow } from './schema.js';

/**
 * Port: the `hotline-sync` queue as the outbox uses it (src/queue/hotline-sync-queue.ts implements it). Job ids
 * are the ticket's and the events', so adding one already there is a no-op.
 */
export interface HotlineSyncQueue {
  /** Queues a ticket for the hotline. */
  syncTicket(number: string): Promise<void>;
  /** Queues status changes for the hotline. */
  syncEvents(events: { eventId: number; number: string }[]): Promise<void>;
}

export interface HotlineOutboxDeps {
  db: Db;
  queue: HotlineSyncQueue;
  now?: () => Date;
}

/** What the worker needs to send an event, or why it must wait. */
export type OwedEvent =
  | { state: 'gone' }
  | { state: 'sent'; event: TicketEventRow; ticket: TicketRow }
  | { state: 'waiting'; reason: string }
  | { state: 'ready'; event: TicketEventRow; ticket: TicketRow };

export class HotlineOutbox {
  private readonly now: () => Date;

  constructor(private readonly deps: HotlineOutboxDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Queues the owed ones among `events` (just committed); returns how many. */
  async flush(events: TicketEventRow[]): Promise<number> {
    const owed = events.filter((e) => e.hotlineOwed && !e.hotlineSentAt);
    if (!owed.length) return 0;
    const ids = [...new Set(owed.map((e) => e.ticketId))];
    const rows = await this.deps.db.select({ id: tickets.id, number: tickets.number }).from(tickets).where(inArray(tickets.id, ids));
    const numberOf = new Map(rows.map((t) => [t.id, t.number]));
    const jobs = owed.flatMap((e) => (numberOf.has(e.ticketId) ? [{ eventId: e.id, number: numberOf.get(e.ticketId)! }] : []));
    await this.deps.queue.syncEvents(jobs);
    return jobs.length;
  }

  /** Queues events still unsent after `graceMs` (their writer died before queueing them, or they wait their turn). */
  async sweep(graceMs = 30_000, limit = 500): Promise<number> {
    const before = new Date(this.now().getTime() - graceMs);
    const owed = await this.deps.db
      .select({ eventId: ticketEvents.id, number: tickets.number })
      .from(ticketEvents)
      .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
      .where(and(eq(ticketEvents.hotlineOwed, true), isNull(ticketEvents.hotlineSentAt), lt(ticketEvents.createdAt, before)))
      .orderBy(asc(ticketEvents.id))
      .limit(limit);
    await this.deps.queue.syncEvents(owed);
    return owed.length;
  }

  /** The event with its ticket, if it is its ticket's next to send and the hotline has the ticket. */
  async next(eventId: number): Promise<OwedEvent> {
    const [row] = await this.deps.db.select().from(ticketEvents).innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId)).where(eq(ticketEvents.id, eventId));
    if (!row) return { state: 'gone' };
    const { ticket_events: event, tickets: ticket } = row;
    if (event.hotlineSentAt) return { state: 'sent', event, ticket };
    if (!ticket.hotlineSyncedAt) {
      // Queued at creation as a rule; a ticket made before HOTLINE_URL was set never was, so it is queued now
      // (a no-op when its job exists, also a dead-lettered one: that waits for an admin's retry).
      await this.deps.queue.syncTicket(ticket.number);
      return { state: 'waiting', reason: `the hotline does not have ticket ${ticket.number} yet` };
    }
    const [earlier] = await this.deps.db
      .select({ id: ticketEvents.id })
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticket.id), eq(ticketEvents.hotlineOwed, true), isNull(ticketEvents.hotlineSentAt), lt(ticketEvents.id, eventId)))
      .orderBy(asc(ticketEvents.id))
      .limit(1);
    if (earlier) return { state: 'waiting', reason: `event ${earlier.id} of ticket ${ticket.number} goes first` };
    return { state: 'ready', event, ticket };
  }

  async markSent(eventId: number): Promise<void> {
    await this.deps.db.update(ticketEvents).set({ hotlineSentAt: this.now() }).where(eq(ticketEvents.id, eventId));
  }
}
