// 吹哨报到 (joint handling): the unit handling a ticket calls in other units — the category's departments first,
// any unit the dispatch table knows — and each called unit reports (报到) with a note within a time limit.
// Each call-in and report is one transaction with its ticket event (`called_in`, `reported`), written like a
// status change: the call-in owes the staff channel an alert, both are owed to the external hotline. The
// events carry no status (from/to null), so reports that count status changes never count them.
import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from './db.js';
import { ticketCallins, ticketEvents, tickets, type TicketCallinRow, type TicketEventRow, type TicketRow } from './schema.js';
import type { DispatchTable } from './dispatch-table.js';
import { dispatchTicket, knownUnits } from './dispatch.js';
import { isOpen } from './lifecycle.js';
import type { StaffRole } from './staff-store.js';
import { storableText } from '../core/storable-text.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** 2-hour and 24-hour tickets are urgent: their called units report within 2 hours; others within 24. */
export const REPORT_LIMIT_MS = { urgent: 2 * 3600_000, normal: 24 * 3600_000 } as const;

export function reportDueAt(tier: string, calledAt: Date): Date {
  const urgent = tier === '2h' || tier === '24h';
  return new Date(calledAt.getTime() + (urgent ? REPORT_LIMIT_MS.urgent : REPORT_LIMIT_MS.normal));
}

/** Who acts: the signed-in account or API token (the admin token is `admin`). */
export interface Caller {
  user: string;
  role: StaffRole;
  unit?: string;
}

/** As events record actors: `unit:卢沟桥街道:li`, `operator:wang`, `admin:admin`. */
export function actorOf(c: Caller): string {
  return c.role === 'unit' && c.unit ? `unit:${c.unit}:${c.user}` : `${c.role}:${c.user}`;
}

export type CallinErrorCode = 'not_found' | 'forbidden' | 'ticket_closed' | 'invalid_unit' | 'not_called_in' | 'already_reported' | 'unit_required';

const HTTP_STATUS: Record<CallinErrorCode, number> = {
  not_found: 404,
  // A unit that is not called in must not learn that the ticket exists: the same 404 as an unknown number.
  not_called_in: 404,
  forbidden: 403,
  ticket_closed: 409,
  already_reported: 409,
  invalid_unit: 400,
  unit_required: 400,
};

export class CallinError extends Error {
  constructor(
    readonly code: CallinErrorCode,
    message: string,
    /** The request field at fault, for a 400. */
    readonly field?: string,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

export interface CallinView {
  unit: string;
  calledBy: string;
  calledAt: string;
  dueAt: string;
  note: string | null;
  reportedAt: string | null;
  reportedBy: string | null;
  reportNote: string | null;
  /** Reported after its limit, or still unreported past it. */
  late: boolean;
}

export function callinView(c: TicketCallinRow, now: Date): CallinView {
  const late = c.reportedAt ? c.reportedAt > c.dueAt : c.dueAt < now;
  return {
    unit: c.unit,
    calledBy: c.calledBy,
    calledAt: c.calledAt.toISOString(),
    dueAt: c.dueAt.toISOString(),
    note: c.note,
    reportedAt: c.reportedAt?.toISOString() ?? null,
    reportedBy: c.reportedBy,
    reportNote: c.reportNote,
    late,
  };
}

export interface JointHandlingDeps {
  db: Db;
  table: DispatchTable;
  /** Queues what the events owe (staff alert, hotline): TicketLifecycle.deliver. */
  deliver?: (events: TicketEventRow[]) => Promise<void>;
  /** HOTLINE_URL is set: the events are owed to the hotline. */
  hotlineOutbox?: boolean;
  now?: () => Date;
}

export interface CallInResult {
  ticket: TicketRow;
  /** Units called in by this request. */
  added: string[];
  /** Units asked for that were called in already (nothing changed for them). */
  already: string[];
  callins: TicketCallinRow[];
}

export class JointHandling {
  private readonly now: () => Date;
  private readonly units: Set<string>;

  constructor(private readonly deps: JointHandlingDeps) {
    this.now = deps.now ?? (() => new Date());
    this.units = knownUnits(deps.table);
  }

  /** Whether a caller may see a ticket at all: unit staff see the tickets they handle or are called in to. */
  static sees(c: Caller, ticket: Pick<TicketRow, 'unit'>, callins: Pick<TicketCallinRow, 'unit'>[]): boolean {
    if (c.role !== 'unit') return true;
    return Boolean(c.unit) && (ticket.unit === c.unit || callins.some((x) => x.unit === c.unit));
  }

  isKnownUnit(unit: string): boolean {
    return this.units.has(unit);
  }

  /** The category's departments (the district's, then the city's), minus the ticket's own unit and those called. */
  suggestions(ticket: Pick<TicketRow, 'category' | 'district' | 'street' | 'unit'>, called: string[] = []): string[] {
    const routing = (ticket.category && this.deps.table.file.categories[ticket.category]) || this.deps.table.file.fallback;
    const decided = dispatchTicket(this.deps.table, ticket).department;
    const out = [decided, routing.department?.city].filter((u): u is string => Boolean(u));
    return [...new Set(out)].filter((u) => u !== ticket.unit && !called.includes(u));
  }

  async forTicket(ticketId: number): Promise<TicketCallinRow[]> {
    return this.deps.db.select().from(ticketCallins).where(eq(ticketCallins.ticketId, ticketId)).orderBy(asc(ticketCallins.id));
  }

  /** Units called in to each ticket, for lists (协办 marks). */
  async unitsByTicket(ticketIds: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (!ticketIds.length) return out;
    const rows = await this.deps.db
      .select({ ticketId: ticketCallins.ticketId, unit: ticketCallins.unit })
      .from(ticketCallins)
      .where(inArray(ticketCallins.ticketId, ticketIds))
      .orderBy(asc(ticketCallins.id));
    for (const r of rows) out.set(r.ticketId, [...(out.get(r.ticketId) ?? []), r.unit]);
    return out;
  }

  /**
   * The handling unit (or an operator or admin) calls in `units`. Throws CallinError: an unknown unit (400,
   * nothing written), a ticket the caller may not see (404) or act on (403), a closed ticket (409).
   */
  async callIn(input: { number: string; units: string[]; note?: string; caller: Caller }): Promise<CallInResult> {
    const units = [...new Set(input.units.map((u) => u.trim()))];
    units.forEach((u) => {
      if (!this.units.has(u)) throw new CallinError('invalid_unit', `unknown unit ${u}: it must be a unit the dispatch table knows`, 'units');
    });
    const note = input.note === undefined ? null : storableText(input.note);
    const actor = storableText(actorOf(input.caller));
    const { result, events } = await this.deps.db.transaction(async (tx) => {
      const ticket = await lockTicket(tx, input.number);
      if (!ticket) throw new CallinError('not_found', `no ticket ${input.number}`);
      const existing = await tx.select().from(ticketCallins).where(eq(ticketCallins.ticketId, ticket.id));
      mayCallIn(input.caller, ticket, existing);
      if (!isOpen(ticket.status)) throw new CallinError('ticket_closed', `ticket ${ticket.number} is ${ticket.status}: units are called in to open tickets only`);
      const own = units.includes(ticket.unit ?? '');
      if (own) throw new CallinError('invalid_unit', `${ticket.unit} handles this ticket already; call in another unit`, 'units');
      const already = units.filter((u) => existing.some((c) => c.unit === u));
      const fresh = units.filter((u) => !already.includes(u));
      const now = this.now();
      const dueAt = reportDueAt(ticket.tier, now);
      const written: TicketEventRow[] = [];
      for (const unit of fresh) {
        await tx.insert(ticketCallins).values({ ticketId: ticket.id, unit, calledBy: actor, note, calledAt: now, dueAt });
        written.push(
          ...(await tx
            .insert(ticketEvents)
            .values({
              ticketId: ticket.id,
              kind: 'called_in',
              actor,
              unit,
              note,
              dedupeKey: `callin:${ticket.id}:${unit}`,
              notify: 'staff',
              hotlineOwed: this.deps.hotlineOutbox === true,
              createdAt: now,
            })
            .returning()),
        );
      }
      if (fresh.length) await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticket.id));
      const callins = await tx.select().from(ticketCallins).where(eq(ticketCallins.ticketId, ticket.id)).orderBy(asc(ticketCallins.id));
      return { result: { ticket, added: fresh, already, callins }, events: written };
    });
    await this.deps.deliver?.(events);
    return result;
  }

  /**
   * A called unit reports. `unit` is the caller's own unit for unit staff; an admin names the unit it reports
   * for. A second report is refused (409 already_reported) so the first note and time stand.
   */
  async report(input: { number: string; note: string; caller: Caller; unit?: string }): Promise<{ ticket: TicketRow; callin: TicketCallinRow }> {
    const unit = reportingUnit(input.caller, input.unit);
    const note = storableText(input.note);
    const actor = storableText(actorOf(input.caller));
    const { result, events } = await this.deps.db.transaction(async (tx) => {
      const ticket = await lockTicket(tx, input.number);
      if (!ticket) throw new CallinError('not_found', `no ticket ${input.number}`);
      const [callin] = await tx.select().from(ticketCallins).where(and(eq(ticketCallins.ticketId, ticket.id), eq(ticketCallins.unit, unit)));
      if (!callin) {
        // Unit staff not called in learn nothing about the ticket; an admin is told which unit is not called in.
        if (input.caller.role === 'unit') throw new CallinError('not_called_in', `no ticket ${input.number}`);
        throw new CallinError('not_found', `${unit} is not called in to ticket ${ticket.number}`);
      }
      if (callin.reportedAt) throw new CallinError('already_reported', `${unit} reported on ${callin.reportedAt.toISOString()} already`);
      const now = this.now();
      const [updated] = await tx.update(ticketCallins).set({ reportedAt: now, reportedBy: actor, reportNote: note }).where(eq(ticketCallins.id, callin.id)).returning();
      const written = await tx
        .insert(ticketEvents)
        .values({
          ticketId: ticket.id,
          kind: 'reported',
          actor,
          unit,
          note,
          dedupeKey: `reported:${callin.id}`,
          hotlineOwed: this.deps.hotlineOutbox === true,
          createdAt: now,
        })
        .returning();
      await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticket.id));
      return { result: { ticket, callin: updated }, events: written };
    });
    await this.deps.deliver?.(events);
    return result;
  }

  /**
   * Flags call-ins whose report is overdue (once each): `late_at` set and a `callin_late` event that owes the
   * staff channel an alert, like an overdue ticket. Returns the events written, for the notifier.
   */
  async flagLate(now: Date, limit = 500): Promise<TicketEventRow[]> {
    const due = await this.deps.db
      .select({ id: ticketCallins.id })
      .from(ticketCallins)
      .where(and(lt(ticketCallins.dueAt, now), isNull(ticketCallins.reportedAt), isNull(ticketCallins.lateAt)))
      .limit(limit);
    const written: TicketEventRow[] = [];
    for (const { id } of due) {
      const events = await this.deps.db.transaction(async (tx) => {
        // Re-checked under the row lock: a report since the scan wins.
        const [c] = await tx.select().from(ticketCallins).where(eq(ticketCallins.id, id)).for('update');
        if (!c || c.reportedAt || c.lateAt || c.dueAt >= now) return [];
        await tx.update(ticketCallins).set({ lateAt: now }).where(eq(ticketCallins.id, c.id));
        return tx
          .insert(ticketEvents)
          .values({ ticketId: c.ticketId, kind: 'callin_late', actor: 'system', unit: c.unit, note: `${c.unit}未在报到时限内报到`, dedupeKey: `callin-late:${c.id}`, notify: 'staff', createdAt: now })
          .onConflictDoNothing()
          .returning();
      });
      written.push(...events);
    }
    return written;
  }
}

async function lockTicket(tx: Tx, number: string): Promise<TicketRow | undefined> {
  const [row] = await tx.select().from(tickets).where(eq(tickets.number, number)).for('update');
  return row;
}

/**
 * Operators and admins call in on any ticket; a unit only on a ticket it handles (a ticket it has nothing to
 * do with is a 404, so numbers do not leak); other roles never.
 */
function mayCallIn(c: Caller, ticket: TicketRow, callins: TicketCallinRow[]): void {
  if (c.role === 'admin' || c.role === 'operator') return;
  if (c.role === 'unit') {
    if (c.unit && c.unit === ticket.unit) return;
    // A called unit sees the ticket, but the unit handling it is the one that calls others in.
    if (c.unit && callins.some((x) => x.unit === c.unit)) throw new CallinError('forbidden', `only ${ticket.unit ?? 'the handling unit'} calls units in to this ticket`);
    throw new CallinError('not_found', `no ticket ${ticket.number}`);
  }
  throw new CallinError('forbidden', `role ${c.role} cannot call in units`);
}

/** Unit staff report for their own unit; an admin names the unit; other roles cannot report. */
function reportingUnit(c: Caller, given: string | undefined): string {
  if (c.role === 'unit') {
    if (!c.unit) throw new CallinError('forbidden', 'this account belongs to no unit');
    if (given !== undefined && given !== c.unit) throw new CallinError('forbidden', `this account reports for ${c.unit} only`);
    return c.unit;
  }
  if (c.role === 'admin') {
    if (!given) throw new CallinError('unit_required', 'an admin reports for a unit: give the unit that was called in', 'unit');
    return given;
  }
  throw new CallinError('forbidden', `role ${c.role} cannot report for a unit`);
}
