// Changing a ticket's status after creation: the one place that writes status. Each change is one
// transaction — lock the ticket row, check the transition table, update, insert the event(s) — so a status
// and its event never disagree. A change carrying a dedupe key (a callback's event id, an API
// Idempotency-Key) happens once: the row lock serializes retries and the second finds the first's event.
// Linked duplicate reports follow their primary in the same transaction, each with its own event, so every
// reporter hears back.
import { and, eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { ticketEvents, tickets, type TicketEventRow, type TicketRow } from './schema.js';
import { CITIZEN_FACING_KINDS, checkTransition, eventKindFor, type Status } from './ticket-statuses.js';
import { TicketChangeError } from './ticket-errors.js';
import { dueAt } from './time-limits.js';
import { isTier } from './time-limits.js';
import type { Rating } from '../core/citizen-command.js';
import { storableText } from '../core/storable-text.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type NewEvent = typeof ticketEvents.$inferInsert;

export interface StatusChange {
  number: string;
  to: Status;
  note?: string;
  unit?: string;
  /** Who: 'operator', 'hotline:<system>', an office's name, 'system', 'citizen:<channel>'. */
  actor: string;
  /** Same key, same change: applied once (hotline:<callback event id>, api:<Idempotency-Key>). */
  dedupeKey?: string;
  /** The external hotline reported this change (its callback): it is not sent back there. */
  fromHotline?: boolean;
}

export type ChangeOutcome = 'changed' | 'unchanged' | 'duplicate';

export interface ChangeResult {
  outcome: ChangeOutcome;
  ticket: TicketRow;
  /** Every event written, the primary's and its duplicates', for the notifier. */
  events: TicketEventRow[];
}

export const RATING_LABEL: Record<Rating, string> = { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' };

export interface TransitionOptions {
  /**
   * The external hotline system has its own copy of every ticket (HOTLINE_URL): changes made here are written
   * as owed to it (ticket_events.hotline_owed, sent by src/tickets/hotline-outbox.ts).
   */
  hotlineOutbox?: boolean;
}

export class TicketTransitions {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    private readonly options: TransitionOptions = {},
  ) {}

  /** An office's or operator's change (API, hotline callback). Throws TicketChangeError when refused. */
  async change(change: StatusChange): Promise<ChangeResult> {
    const c = storableChange(change);
    return this.db.transaction(async (tx) => {
      const ticket = await lockByNumber(tx, c.number);
      if (!ticket) throw new TicketChangeError('not_found', `no ticket ${c.number}`);
      if (c.dedupeKey && (await eventExists(tx, c.dedupeKey))) return { outcome: 'duplicate', ticket, events: [] };
      if (isNoOp(ticket, c)) return { outcome: 'unchanged', ticket, events: [] };
      const check = checkTransition(ticket.status, c.to, { unit: c.unit, currentUnit: ticket.unit });
      if (!check.ok) throw new TicketChangeError(check.code, check.reason);

      const { updated, events } = await this.apply(tx, ticket, c, c.dedupeKey);
      // Duplicates follow the primary where their own status allows it (one reopened on its own does not).
      const dupes = await tx.select().from(tickets).where(eq(tickets.duplicateOf, ticket.id)).for('update');
      for (const d of dupes) {
        if (isNoOp(d, c) || !checkTransition(d.status, c.to, { unit: c.unit, currentUnit: d.unit }).ok) continue;
        // With the office's own note: each reporter hears it as about their own ticket (the link is on the
        // ticket, for operators; another citizen's ticket number is no business of theirs).
        events.push(...(await this.apply(tx, d, c, c.dedupeKey ? `${c.dedupeKey}/${d.id}` : undefined)).events);
      }
      return { outcome: 'changed', ticket: updated, events };
    });
  }

  /**
   * The citizen's return-visit answer. 满意/基本满意 close the ticket (visited); 不满意 reopens it with a fresh
   * time limit and detaches it from its primary, so the office sees it as its own open ticket again.
   * Returns outcome 'unchanged' when the ticket is not waiting for an answer (not resolved).
   */
  async rate(ticketId: number, rating: Rating, actor: string, dedupeKey?: string): Promise<ChangeResult> {
    return this.db.transaction(async (tx) => {
      const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
      if (!ticket) throw new TicketChangeError('not_found', `no ticket ${ticketId}`);
      if (dedupeKey && (await eventExists(tx, dedupeKey))) return { outcome: 'duplicate', ticket, events: [] };
      if (ticket.status !== 'resolved') return { outcome: 'unchanged', ticket, events: [] };
      const now = this.now();
      const reopen = rating === 'unsatisfied';
      const to: Status = reopen ? 'in_progress' : 'visited';
      const tier = isTier(ticket.tier) ? ticket.tier : '7d';
      const [updated] = await tx
        .update(tickets)
        .set({
          status: to,
          rating,
          ratedAt: now,
          updatedAt: now,
          ...(reopen ? { duplicateOf: null, dueAt: dueAt(tier, now), overdueAt: null } : {}),
        })
        .where(eq(tickets.id, ticket.id))
        .returning();
      const note = reopen
        ? `评价：${RATING_LABEL[rating]}，重新办理并重新计时${ticket.duplicateOf ? '，已与主工单解除关联' : ''}`
        : `评价：${RATING_LABEL[rating]}`;
      const events = await tx
        .insert(ticketEvents)
        .values({
          ticketId: ticket.id,
          kind: eventKindFor('resolved', to),
          fromStatus: 'resolved',
          toStatus: to,
          actor,
          note,
          dedupeKey: dedupeKey ?? null,
          notify: 'citizen',
          hotlineOwed: this.options.hotlineOutbox === true,
          createdAt: now,
        })
        .returning();
      return { outcome: 'changed', ticket: updated, events };
    });
  }

  /** Writes one change to one (locked) ticket. `returned` with a unit is a return and a re-dispatch. */
  private async apply(tx: Tx, ticket: TicketRow, c: StatusChange, dedupeKey: string | undefined): Promise<{ updated: TicketRow; events: TicketEventRow[] }> {
    const now = this.now();
    const steps: { from: string; to: Status; unit: string | null }[] = [];
    if (c.to === 'returned' && c.unit) {
      steps.push({ from: ticket.status, to: 'returned', unit: ticket.unit });
      steps.push({ from: 'returned', to: 'dispatched', unit: c.unit });
    } else {
      steps.push({ from: ticket.status, to: c.to, unit: c.to === 'dispatched' ? (c.unit ?? ticket.unit) : (c.unit ?? null) });
    }
    const final = steps[steps.length - 1];
    const unit = final.to === 'dispatched' ? final.unit : ticket.unit;
    const [updated] = await tx.update(tickets).set({ status: final.to, unit, updatedAt: now }).where(eq(tickets.id, ticket.id)).returning();
    const rows: NewEvent[] = steps.map((s, i) => {
      const kind = eventKindFor(s.from, s.to);
      return {
        ticketId: ticket.id,
        kind,
        fromStatus: s.from,
        toStatus: s.to,
        actor: c.actor,
        note: c.note ?? null,
        unit: s.unit,
        dedupeKey: dedupeKey ? (i === 0 ? dedupeKey : `${dedupeKey}#${i + 1}`) : null,
        notify: CITIZEN_FACING_KINDS.has(kind) ? 'citizen' : null,
        hotlineOwed: this.options.hotlineOutbox === true && !c.fromHotline,
        createdAt: now,
      };
    });
    const events = await tx.insert(ticketEvents).values(rows).returning();
    return { updated, events };
  }
}

/** What people and other systems wrote (note, unit, actor, their event id) as the database takes it. */
function storableChange(c: StatusChange): StatusChange {
  const s = storableText;
  return {
    ...c,
    actor: s(c.actor),
    ...(c.note !== undefined ? { note: s(c.note) } : {}),
    ...(c.unit !== undefined ? { unit: s(c.unit) } : {}),
    ...(c.dedupeKey !== undefined ? { dedupeKey: s(c.dedupeKey) } : {}),
  };
}

async function lockByNumber(tx: Tx, number: string): Promise<TicketRow | undefined> {
  const rows = await tx.select().from(tickets).where(eq(tickets.number, number)).for('update');
  return rows[0];
}

async function eventExists(tx: Tx, dedupeKey: string): Promise<boolean> {
  const rows = await tx.select({ id: ticketEvents.id }).from(ticketEvents).where(and(eq(ticketEvents.dedupeKey, dedupeKey))).limit(1);
  return rows.length > 0;
}

/** Asking for the state a ticket is already in changes nothing and is not an error (a retried request). */
function isNoOp(t: TicketRow, c: StatusChange): boolean {
  if (t.status !== c.to) return false;
  if (c.to === 'dispatched') return !c.unit || c.unit === t.unit;
  return true;
}
