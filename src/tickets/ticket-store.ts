// Reading and writing tickets. Creation is idempotent on the source message id: a redelivered message, a
// retried job or two workers racing on one message all end with the same single ticket. Status changes after
// creation go through src/tickets/ticket-transitions.ts.
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from './db.js';
import { ticketCallins, ticketEvents, tickets, type TicketEventRow, type TicketRow } from './schema.js';
import { TicketNumbers } from './numbering.js';
import { insertMany } from './bulk-insert.js';
import { dueAt } from './time-limits.js';
import { CLOSED_STATUSES, OPEN_STATUSES } from './ticket-statuses.js';
import type { DispatchDecision } from './dispatch.js';
import { isOverdueAt } from './ticket-view.js';
import type { TierId } from '../nlu/decision.js';

/** The open ticket a new one repeats (found by src/tickets/clustering.ts before the insert). */
export interface PrimaryTicket {
  id: number;
  number: string;
  status: string;
  unit: string | null;
  score: number;
  spot?: string;
}

/** What duplicate clustering needs of an open ticket. */
export interface ClusterCandidate {
  id: number;
  number: string;
  status: string;
  unit: string | null;
  text: string;
  district: string | null;
  category: string;
  street: string;
  createdAt: Date;
}

/** An earlier ticket of the same batch (TicketStore.createMany) that this one repeats. */
export interface BatchPrimary {
  batchIndex: number;
  score: number;
  spot?: string;
}

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
  /** Where it goes (src/tickets/dispatch.ts): sets `unit`, and `dispatched` when the jurisdiction is clear. */
  dispatch?: DispatchDecision;
  /** Links it as a duplicate report: it takes the primary's unit and status and follows it from then on. */
  primary?: PrimaryTicket | BatchPrimary;
  /** A number reserved for it already (TicketStore.numbered, or an earlier attempt); else one is taken. */
  number?: string;
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
  /** A further condition over the `tickets` table (who may see what: src/http/access/ticket-scope.ts). */
  scope?: SQL;
  /** Tickets this unit is called in to (协办). */
  calledIn?: string;
  limit?: number;
  offset?: number;
}

export class TicketStore {
  private readonly numbers: TicketNumbers;

  constructor(
    private readonly db: Db,
    private readonly timeZone: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.numbers = new TicketNumbers(db, timeZone);
  }

  /** Inserts the ticket unless one exists for the same source message; returns it and whether it is new. */
  async createFromMessage(input: NewTicket): Promise<{ ticket: TicketRow; created: boolean }> {
    return (await this.createMany([input]))[0];
  }

  /**
   * Inserts many tickets in one transaction (the ticket worker's batches): one multi-row INSERT, one for the
   * events. Each is skipped when its source message already has a ticket, which is then returned with
   * `created: false` — a redelivered message, a retried job or two workers racing on one message all end with
   * the same single ticket. No look-up first: a repeated message is rare, and the conflict finds it anyway.
   */
  async createMany(inputs: NewTicket[]): Promise<{ ticket: TicketRow; created: boolean }[]> {
    if (!inputs.length) return [];
    const numbers = (await this.numbered(inputs)).map((i) => i.number!);
    const now = this.now();
    const bySource = new Map<string, TicketRow>();
    const createdNumbers = new Set<string>();
    // A duplicate of a ticket in the same batch needs that ticket's id: it goes in a second wave.
    const waves: number[][] = [[], []];
    inputs.forEach((i, k) => waves[i.primary && 'batchIndex' in i.primary ? 1 : 0].push(k));
    await this.db.transaction(async (tx) => {
      for (const wave of waves) {
        if (!wave.length) continue;
        const values = wave.map((k) => this.rowValues(inputs[k], numbers[k], now, this.resolvePrimary(inputs, k, bySource)));
        const inserted = await insertMany(tx as unknown as Db, tickets, values, { skipConflictsOn: 'source_message_id', returning: true });
        for (const r of inserted) {
          bySource.set(r.sourceMessageId, r);
          createdNumbers.add(r.number);
        }
        const events = wave.flatMap((k) => {
          const row = bySource.get(inputs[k].sourceMessageId);
          return row && row.number === numbers[k] ? this.creationEvents(inputs[k], row, this.resolvePrimary(inputs, k, bySource)) : [];
        });
        if (events.length) await insertMany(tx as unknown as Db, ticketEvents, events);
        // Tickets that existed before (conflicts) are looked up now: a second-wave duplicate may need one.
        const missing = [...new Set(wave.map((k) => inputs[k].sourceMessageId).filter((id) => !bySource.has(id)))];
        if (missing.length) for (const r of await tx.select().from(tickets).where(inArray(tickets.sourceMessageId, missing))) bySource.set(r.sourceMessageId, r);
      }
    });
    return inputs.map((i, k) => {
      const ticket = bySource.get(i.sourceMessageId);
      if (!ticket) throw new Error(`ticket for ${i.sourceMessageId} vanished after a conflicting insert`);
      return { ticket, created: ticket.number === numbers[k] && createdNumbers.has(ticket.number) };
    });
  }

  /** The inputs, each with a ticket number: its own if it has one, else a fresh one (one reservation at most). */
  async numbered<T extends { receivedAt: Date; number?: string }>(inputs: T[]): Promise<(T & { number: string })[]> {
    const fresh = await this.numbers.take(inputs.filter((i) => !i.number).map((i) => i.receivedAt));
    let f = 0;
    return inputs.map((i) => ({ ...i, number: i.number ?? fresh[f++] }));
  }

  /** The primary as a stored ticket: one from an earlier wave of this batch is looked up by its row. */
  private resolvePrimary(inputs: NewTicket[], k: number, bySource: Map<string, TicketRow>): PrimaryTicket | undefined {
    const p = inputs[k].primary;
    if (!p || !('batchIndex' in p)) return p;
    const row = bySource.get(inputs[p.batchIndex].sourceMessageId);
    if (!row) return undefined;
    return { id: row.id, number: row.number, status: row.status, unit: row.unit, score: p.score, ...(p.spot ? { spot: p.spot } : {}) };
  }

  private rowValues(input: NewTicket, number: string, now: Date, primary: PrimaryTicket | undefined): typeof tickets.$inferInsert {
    const { dispatch } = input;
    const status = primary ? primary.status : dispatch?.clear ? 'dispatched' : 'received';
    const unit = primary ? primary.unit : (dispatch?.unit ?? input.unit ?? null);
    const details = {
      ...(input.details ?? {}),
      ...(dispatch ? { dispatch: { level: dispatch.level, reason: dispatch.reason, ...(dispatch.department ? { department: dispatch.department } : {}) } } : {}),
      ...(primary ? { duplicate: { of: primary.number, score: Math.round(primary.score * 100) / 100, ...(primary.spot ? { spot: primary.spot } : {}) } } : {}),
    };
    return {
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
      district: input.district ?? dispatch?.district ?? null,
      street: input.street ?? null,
      unit,
      status,
      duplicateOf: primary?.id ?? null,
      phone: input.phone ?? null,
      details,
      dueAt: dueAt(input.tier, input.receivedAt),
      createdAt: input.receivedAt,
      updatedAt: now,
    };
  }

  /** The confirmation the ticket worker sends says where it went, so these events owe the citizen nothing. */
  private creationEvents(input: NewTicket, row: TicketRow, primary: PrimaryTicket | undefined): (typeof ticketEvents.$inferInsert)[] {
    const { dispatch } = input;
    const events: (typeof ticketEvents.$inferInsert)[] = [
      { ticketId: row.id, kind: 'created', toStatus: 'received', actor: `channel:${input.channel}`, note: null, createdAt: input.receivedAt },
    ];
    if (primary) {
      events.push({
        ticketId: row.id,
        kind: 'linked',
        fromStatus: 'received',
        toStatus: row.status,
        actor: 'system',
        unit: row.unit,
        note: `与工单 ${primary.number} 重复${primary.spot ? `（同一地点：${primary.spot}）` : ''}，相似度 ${primary.score.toFixed(2)}，随其办理`,
        createdAt: input.receivedAt,
      });
    } else if (dispatch) {
      events.push({
        ticketId: row.id,
        kind: dispatch.clear ? 'dispatched' : 'routed',
        fromStatus: 'received',
        toStatus: row.status,
        actor: 'system',
        unit: dispatch.unit,
        note: dispatch.reason,
        createdAt: input.receivedAt,
      });
    }
    return events;
  }

  async getBySource(sourceMessageId: string): Promise<TicketRow | undefined> {
    const rows = await this.db.select().from(tickets).where(eq(tickets.sourceMessageId, sourceMessageId)).limit(1);
    return rows[0];
  }

  async getByNumber(number: string): Promise<TicketRow | undefined> {
    const rows = await this.db.select().from(tickets).where(eq(tickets.number, number)).limit(1);
    return rows[0];
  }

  async getById(id: number): Promise<TicketRow | undefined> {
    const rows = await this.db.select().from(tickets).where(eq(tickets.id, id)).limit(1);
    return rows[0];
  }

  /** The numbers of the duplicate reports linked to a ticket. */
  async duplicatesOf(ticketId: number): Promise<string[]> {
    const rows = await this.db.select({ number: tickets.number }).from(tickets).where(eq(tickets.duplicateOf, ticketId)).orderBy(asc(tickets.id));
    return rows.map((r) => r.number);
  }

  /** A citizen's own tickets, newest first: same channel and same sender, never anyone else's. */
  async listForSender(channel: string, senderId: string, limit = 5): Promise<TicketRow[]> {
    return this.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.channel, channel), eq(tickets.senderId, senderId)))
      .orderBy(desc(tickets.createdAt), desc(tickets.id))
      .limit(limit);
  }

  /** The citizen's ticket that waits for a return-visit answer (a bare "1" refers to it). */
  async awaitingVisit(channel: string, senderId: string): Promise<TicketRow | undefined> {
    const rows = await this.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.channel, channel), eq(tickets.senderId, senderId), eq(tickets.status, 'resolved')))
      .orderBy(desc(tickets.updatedAt), desc(tickets.id))
      .limit(1);
    return rows[0];
  }

  /**
   * Open, non-duplicate tickets of each (category, street) created since `since`, the newest `perPlace` of
   * each: the candidates a batch of new tickets may repeat. One query for the whole batch (a lateral join
   * walks tickets_cluster_idx, which holds first reports only, once per place).
   */
  async openAtAny(places: { category: string; street: string }[], since: Date, perPlace = 50): Promise<ClusterCandidate[]> {
    if (!places.length) return [];
    const keys = sql.join(places.map((p) => sql`(${p.category}, ${p.street})`), sql`, `);
    const open = sql.join(OPEN_STATUSES.map((st) => sql`${st}`), sql`, `);
    const res = await this.db.execute(sql`
      select c.id, c.number, c.status, c.unit, c.text, c.district, c.category, c.street, c.created_at
        from (values ${keys}) as k(category, street)
        cross join lateral (
          select t.id, t.number, t.status, t.unit, t.text, t.district, t.category, t.street, t.created_at from tickets t
           where t.category = k.category and t.street = k.street and t.created_at >= ${since}
             and t.duplicate_of is null and t.status in (${open})
           order by t.created_at desc limit ${perPlace}) c`);
    type Raw = { id: number; number: string; status: string; unit: string | null; text: string; district: string | null; category: string; street: string; created_at: string | Date };
    return (res as unknown as { rows: Raw[] }).rows.map((r) => ({
      id: Number(r.id),
      number: r.number,
      status: r.status,
      unit: r.unit,
      text: r.text,
      district: r.district,
      category: r.category,
      street: r.street,
      createdAt: new Date(r.created_at),
    }));
  }

  async markHotlineSynced(ticketId: number, ref: string | null, at: Date): Promise<void> {
    await this.db.update(tickets).set({ hotlineRef: ref, hotlineSyncedAt: at }).where(eq(tickets.id, ticketId));
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
    if (filter.scope) where.push(filter.scope);
    if (filter.calledIn) where.push(sql`exists (select 1 from ${ticketCallins} c where c.ticket_id = ${tickets.id} and c.unit = ${filter.calledIn})`);
    if (filter.from) where.push(gte(tickets.createdAt, filter.from));
    if (filter.to) where.push(lt(tickets.createdAt, filter.to));
    const overdue = this.overdueSql();
    if (filter.overdue === true) where.push(overdue);
    if (filter.overdue === false) where.push(sql`not (${overdue})`);
    const cond = where.length ? and(...where) : undefined;
    const items = await this.db
      .select()
      .from(tickets)
      .where(cond)
      // Overdue first (the supervisors' worklist), most overdue at the top; then newest first.
      .orderBy(sql`case when ${overdue} then 0 else 1 end`, sql`case when ${overdue} then ${tickets.dueAt} end asc`, desc(tickets.createdAt), desc(tickets.id))
      .limit(Math.min(filter.limit ?? 50, 500))
      .offset(filter.offset ?? 0);
    const [{ n }] = await this.db.select({ n: sql<number | string>`count(*)` }).from(tickets).where(cond);
    return { items, total: Number(n) };
  }

  /** Past its time limit and not yet resolved (the time limit stops running at resolved). */
  overdueSql(now: Date = this.now()): SQL {
    return sql`(${tickets.dueAt} < ${now} and ${tickets.status} not in (${sql.join(
      CLOSED_STATUSES.map((s) => sql`${s}`),
      sql`, `,
    )}))`;
  }

  isOverdue(t: TicketRow, now: Date = this.now()): boolean {
    return isOverdueAt(t, now);
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db.select({ n: sql<number | string>`count(*)` }).from(tickets);
    return Number(n);
  }
}

