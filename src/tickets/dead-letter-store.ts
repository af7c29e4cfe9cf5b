// Ticket jobs that could not be stored after all their attempts (table ticket_dead_letters). Recording one is
// idempotent on the message id: the worker's failure event and the supervision sweep may both record the same
// failure, and a message that fails again after a retry counts as a new failure (and is announced again).
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { ticketDeadLetters, tickets, type TicketDeadLetterRow } from './schema.js';
import { storableText } from '../core/storable-text.js';

export interface DeadLetterInput {
  sourceMessageId: string;
  channel: string;
  /** The job's data as it must be queued again; its text fields are already storable (the envelope's). */
  job: Record<string, unknown>;
  error: string;
  attempts: number;
  queuedAt: Date;
  failedAt: Date;
}

export interface DeadLetterView extends TicketDeadLetterRow {
  /** The ticket, when the message has one after all (a retry or a redelivery succeeded). */
  ticketNumber: string | null;
}

export class DeadLetterStore {
  constructor(private readonly db: Db) {}

  /** Records a failure; returns the row, whose `notifiedAt` is null while its announcements are owed. */
  async record(d: DeadLetterInput): Promise<TicketDeadLetterRow> {
    const t = ticketDeadLetters;
    const retried = sql`${t.status} = 'retried'`;
    const [row] = await this.db
      .insert(t)
      .values({ ...d, error: storableText(d.error).slice(0, 2000), status: 'dead' })
      .onConflictDoUpdate({
        target: t.sourceMessageId,
        set: {
          job: sql`excluded.job`,
          error: sql`excluded.error`,
          attempts: sql`excluded.attempts`,
          failedAt: sql`excluded.failed_at`,
          failures: sql`case when ${retried} then ${t.failures} + 1 else ${t.failures} end`,
          notifiedAt: sql`case when ${retried} then null else ${t.notifiedAt} end`,
          status: 'dead',
        },
      })
      .returning();
    return row;
  }

  async markNotified(id: number, at: Date): Promise<void> {
    await this.db.update(ticketDeadLetters).set({ notifiedAt: at }).where(eq(ticketDeadLetters.id, id));
  }

  async markRetried(id: number, at: Date): Promise<void> {
    await this.db.update(ticketDeadLetters).set({ status: 'retried', retriedAt: at }).where(eq(ticketDeadLetters.id, id));
  }

  async get(id: number): Promise<TicketDeadLetterRow | undefined> {
    const rows = await this.db.select().from(ticketDeadLetters).where(eq(ticketDeadLetters.id, id)).limit(1);
    return rows[0];
  }

  /** Dead letters whose announcements are still owed (the worker that recorded them died first). */
  async unnotified(limit = 100): Promise<TicketDeadLetterRow[]> {
    return this.db.select().from(ticketDeadLetters).where(sql`${ticketDeadLetters.notifiedAt} is null`).limit(limit);
  }

  /** Newest failures first; `open` keeps those whose message still has no ticket (what operators must handle). */
  async list(opts: { open?: boolean; limit?: number } = {}): Promise<{ items: DeadLetterView[]; total: number }> {
    const t = ticketDeadLetters;
    const noTicket = sql`${tickets.id} is null`;
    const base = this.db
      .select({ row: t, ticketNumber: tickets.number })
      .from(t)
      .leftJoin(tickets, eq(tickets.sourceMessageId, t.sourceMessageId));
    const rows = await (opts.open ? base.where(noTicket) : base).orderBy(desc(t.failedAt), desc(t.id)).limit(Math.min(opts.limit ?? 100, 1000));
    const count = this.db.select({ n: sql<number | string>`count(*)` }).from(t).leftJoin(tickets, eq(tickets.sourceMessageId, t.sourceMessageId));
    const [{ n }] = await (opts.open ? count.where(noTicket) : count);
    return { items: rows.map((r) => ({ ...r.row, ticketNumber: r.ticketNumber })), total: Number(n) };
  }
}
