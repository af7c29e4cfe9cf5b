// Reading and writing tickets. Creation is idempotent on the source message id: a redelivered message, a
// retried job or two workers racing on one message all end with the same single ticket.
import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from './db.js';
import { ticketEvents, tickets, type TicketEventRow, type TicketRow } from './schema.js';
import { nextTicketNumber } from './numbering.js';
import { dueAt } from './time-limits.js';
import type { TierId } from '../nlu/decision.js';

export interface NewTicket {
  sourceMessageId: string;
  channel: string;
  conversationId: string;
  senderId: string;
  senderName?: string;
  isPublic: boolean;
  lang: string;
  text: string;
  category?: string;
  tier: TierId;
  district?: string;
  street?: string;
  unit?: string;
  phone?: string;
  details?: Record<string, unknown>;
  /** When the channel received the message: the time limit runs from intake. */
  receivedAt: Date;
}

export interface TicketFilter {
  status?: string;
  district?: string;
  street?: string;
  category?: string;
  channel?: string;
  overdue?: boolean;
  from?: Date;
  to?: Date;
  senderId?: string;
  limit?: number;
  offset?: number;
}

export class TicketStore {
  constructor(
    private readonly db: Db,
    private readonly timeZone: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Inserts the ticket unless one exists for the same source message; returns it and whether it is new. */
  async createFromMessage(input: NewTicket): Promise<{ ticket: TicketRow; created: boolean }> {
    const existing = await this.getBySource(input.sourceMessageId);
    if (existing) return { ticket: existing, created: false };
    const created = await this.db.transaction(async (tx) => {
      const number = await nextTicketNumber(tx, input.receivedAt, this.timeZone);
      const inserted = await tx
        .insert(tickets)
        .values({
          number,
          sourceMessageId: input.sourceMessageId,
          channel: input.channel,
          conversationId: input.conversationId,
          senderId: input.senderId,
          senderName: input.senderName ?? null,
          isPublic: input.isPublic,
          lang: input.lang,
          text: input.text,
          category: input.category ?? null,
          tier: input.tier,
          district: input.district ?? null,
          street: input.street ?? null,
          unit: input.unit ?? null,
          phone: input.phone ?? null,
          details: input.details ?? {},
          dueAt: dueAt(input.tier, input.receivedAt),
          createdAt: input.receivedAt,
          updatedAt: this.now(),
        })
        .onConflictDoNothing({ target: tickets.sourceMessageId })
        .returning();
      const row = inserted[0];
      // A concurrent worker won the race: roll back our counter increment and report theirs.
      if (!row) throw new LostRace();
      await tx.insert(ticketEvents).values({
        ticketId: row.id,
        kind: 'created',
        toStatus: row.status,
        actor: `channel:${input.channel}`,
        note: null,
        createdAt: input.receivedAt,
      });
      return row;
    }).catch((err) => {
      if (err instanceof LostRace) return undefined;
      throw err;
    });
    if (created) return { ticket: created, created: true };
    const winner = await this.getBySource(input.sourceMessageId);
    if (!winner) throw new Error(`ticket for ${input.sourceMessageId} vanished after a conflicting insert`);
    return { ticket: winner, created: false };
  }

  async getBySource(sourceMessageId: string): Promise<TicketRow | undefined> {
    const rows = await this.db.select().from(tickets).where(eq(tickets.sourceMessageId, sourceMessageId)).limit(1);
    return rows[0];
  }

  async getByNumber(number: string): Promise<TicketRow | undefined> {
    const rows = await this.db.select().from(tickets).where(eq(tickets.number, number)).limit(1);
    return rows[0];
  }

  async events(ticketId: number): Promise<TicketEventRow[]> {
    return this.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(asc(ticketEvents.createdAt), asc(ticketEvents.id));
  }

  async list(filter: TicketFilter = {}): Promise<{ items: TicketRow[]; total: number }> {
    const where: SQL[] = [];
    if (filter.status) where.push(eq(tickets.status, filter.status));
    if (filter.district) where.push(eq(tickets.district, filter.district));
    if (filter.street) where.push(eq(tickets.street, filter.street));
    if (filter.category) where.push(eq(tickets.category, filter.category));
    if (filter.channel) where.push(eq(tickets.channel, filter.channel));
    if (filter.senderId) where.push(eq(tickets.senderId, filter.senderId));
    if (filter.from) where.push(gte(tickets.createdAt, filter.from));
    if (filter.to) where.push(lt(tickets.createdAt, filter.to));
    if (filter.overdue) where.push(sql`${tickets.dueAt} < ${this.now()} and ${tickets.status} not in ('resolved','visited','rejected')`);
    const cond = where.length ? and(...where) : undefined;
    const items = await this.db
      .select()
      .from(tickets)
      .where(cond)
      .orderBy(desc(tickets.createdAt), desc(tickets.id))
      .limit(Math.min(filter.limit ?? 50, 500))
      .offset(filter.offset ?? 0);
    const [{ n }] = await this.db.select({ n: sql<number | string>`count(*)` }).from(tickets).where(cond);
    return { items, total: Number(n) };
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db.select({ n: sql<number | string>`count(*)` }).from(tickets);
    return Number(n);
  }
}

class LostRace extends Error {}
