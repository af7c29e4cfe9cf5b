// Problem lists (举一反三) in the database: the suggestions the scheduled job found, the problems people made of
// them (or of tickets they picked), the tickets linked to each, new matching tickets proposed for linking
// (a person confirms), projects, and the weekly counts that show whether the place stopped calling.
import { and, desc, eq, gte, inArray, isNotNull, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './db.js';
import { problemEvents, problemProjects, problems, problemSuggestions, problemTickets, tickets, type ProblemEventRow, type ProblemProjectRow, type ProblemRow, type ProblemSuggestionRow } from './schema.js';
import { problemNext, type ProblemStatus } from './problem-lifecycle.js';
import { organisations, sameProblem, spots, TextFeatureCache, type SamenessBars } from './similarity.js';
import type { Suggestion, SuggestionTicket } from './problem-suggestions.js';

const WEEK_MS = 7 * 86_400_000;
/** Tickets matching a solved problem, after it was solved, that mean the place is calling again. */
export const RECUR_MIN_TICKETS = 2;
/** How many of a problem's latest linked tickets a new ticket is compared with. */
const COMPARE_WITH = 20;

export type ProblemErrorCode = 'not_found' | 'forbidden_transition' | 'unknown_tickets' | 'suggestion_taken';
const HTTP_STATUS: Record<ProblemErrorCode, number> = { not_found: 404, forbidden_transition: 409, unknown_tickets: 400, suggestion_taken: 409 };
/** The request field a 400 is about. */
const FIELD: Partial<Record<ProblemErrorCode, string>> = { unknown_tickets: 'ticketNumbers' };

export class ProblemChangeError extends Error {
  constructor(
    readonly code: ProblemErrorCode,
    message: string,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  get field(): string | undefined {
    return FIELD[this.code];
  }
}

export interface NewProblem {
  title: string;
  leadUnit: string;
  involvedUnits?: string[];
  targetDate?: Date;
  notes?: string;
  category?: string;
  street?: string;
  spot?: string;
  /** Made from this suggestion: its tickets are linked and its place and category taken when not given. */
  suggestionKey?: string;
  /** Hand-picked tickets (numbers), linked as well. */
  ticketNumbers?: string[];
  actor: string;
}

export interface ProblemChange {
  status?: ProblemStatus;
  /** When the fix was done, for `solved` (default now; never in the future). */
  solvedAt?: Date;
  title?: string;
  leadUnit?: string;
  involvedUnits?: string[];
  targetDate?: Date | null;
  notes?: string | null;
}

export interface LinkedTicket {
  number: string;
  text: string;
  street: string | null;
  category: string | null;
  status: string;
  state: string;
  createdAt: Date;
}

export interface WeekCount {
  start: Date;
  count: number;
  phase: 'before' | 'after';
}

/** Tickets per week around the day the problem was solved (or the last weeks, while it is not). */
export interface ProblemTrend {
  solvedAt: Date | null;
  weeks: WeekCount[];
  before: { weeks: number; tickets: number; perWeek: number };
  after: { weeks: number; tickets: number; perWeek: number } | null;
}

export interface ProblemListQuery {
  status?: ProblemStatus;
  /** Problems this unit leads or takes part in. */
  unit?: string;
  overdue?: boolean;
  limit: number;
  offset: number;
}

export class ProblemStore {
  constructor(private readonly db: Db) {}

  /** Tickets of the window with a category, not linked to (nor proposed for) any problem. */
  async suggestionWindow(asOf: Date, weeks: number): Promise<SuggestionTicket[]> {
    const rows = await this.db
      .select({ id: tickets.id, text: tickets.text, category: tickets.category, district: tickets.district, street: tickets.street, unit: tickets.unit, createdAt: tickets.createdAt })
      .from(tickets)
      .where(
        and(
          gte(tickets.createdAt, new Date(asOf.getTime() - weeks * WEEK_MS)),
          lt(tickets.createdAt, asOf),
          isNotNull(tickets.category),
          sql`not exists (select 1 from ${problemTickets} pt where pt.ticket_id = ${tickets.id} and pt.state <> 'rejected')`,
        ),
      );
    return rows.map((r) => ({ ...r, category: r.category! }));
  }

  /** The job's new findings replace the old ones; one already made into a problem is not offered again. */
  async replaceSuggestions(list: Suggestion[], computedAt: Date): Promise<number> {
    const takenRows = list.length ? await this.db.select({ key: problems.suggestionKey }).from(problems).where(inArray(problems.suggestionKey, list.map((s) => s.key))) : [];
    const taken = new Set(takenRows.map((r) => r.key));
    const fresh = list.filter((s) => !taken.has(s.key));
    await this.db.transaction(async (tx) => {
      await tx.delete(problemSuggestions);
      if (fresh.length) await tx.insert(problemSuggestions).values(fresh.map((s) => ({ ...s, computedAt })));
    });
    return fresh.length;
  }

  async suggestions(): Promise<(ProblemSuggestionRow & { tickets: LinkedTicket[] })[]> {
    const rows = await this.db.select().from(problemSuggestions).orderBy(desc(problemSuggestions.score), problemSuggestions.key);
    const ids = [...new Set(rows.flatMap((r) => r.ticketIds))];
    const found = ids.length ? await this.ticketsById(ids) : new Map<number, LinkedTicket>();
    return rows.map((r) => ({ ...r, tickets: r.ticketIds.flatMap((id) => (found.has(id) ? [found.get(id)!] : [])) }));
  }

  async create(p: NewProblem): Promise<ProblemRow> {
    return this.db.transaction(async (tx) => {
      let suggestion: ProblemSuggestionRow | undefined;
      if (p.suggestionKey) {
        [suggestion] = await tx.delete(problemSuggestions).where(eq(problemSuggestions.key, p.suggestionKey)).returning();
        if (!suggestion) throw new ProblemChangeError('not_found', `no suggestion ${p.suggestionKey} (taken, or replaced by a newer run)`);
      }
      const picked = p.ticketNumbers?.length ? await tx.select({ id: tickets.id, number: tickets.number }).from(tickets).where(inArray(tickets.number, p.ticketNumbers)) : [];
      if (p.ticketNumbers && picked.length !== new Set(p.ticketNumbers).size) {
        const known = new Set(picked.map((t) => t.number));
        throw new ProblemChangeError('unknown_tickets', `no such tickets: ${p.ticketNumbers.filter((n) => !known.has(n)).join(', ')}`);
      }
      const [row] = await tx
        .insert(problems)
        .values({
          title: p.title,
          leadUnit: p.leadUnit,
          involvedUnits: p.involvedUnits ?? suggestion?.units.filter((u) => u !== p.leadUnit) ?? [],
          targetDate: p.targetDate,
          notes: p.notes,
          category: p.category ?? suggestion?.category,
          street: p.street ?? suggestion?.street,
          spot: p.spot ?? suggestion?.spot,
          suggestionKey: p.suggestionKey,
          createdBy: p.actor,
        })
        .onConflictDoNothing({ target: problems.suggestionKey })
        .returning();
      if (!row) throw new ProblemChangeError('suggestion_taken', 'this suggestion is already a problem');
      const ids = [...new Set([...(suggestion?.ticketIds ?? []), ...picked.map((t) => t.id)])];
      if (ids.length) await tx.insert(problemTickets).values(ids.map((ticketId) => ({ problemId: row.id, ticketId, state: 'linked', actor: p.actor, decidedAt: new Date() }))).onConflictDoNothing();
      await tx.insert(problemEvents).values({ problemId: row.id, kind: 'created', toStatus: row.status, actor: p.actor, note: `${ids.length} tickets${suggestion ? ' from the suggestion' : ''}` });
      return row;
    });
  }

  async get(id: number): Promise<ProblemRow | undefined> {
    const [row] = await this.db.select().from(problems).where(eq(problems.id, id)).limit(1);
    return row;
  }

  async list(q: ProblemListQuery, now: Date): Promise<{ items: (ProblemRow & { linked: number; proposed: number })[]; total: number }> {
    const where: SQL[] = [];
    if (q.status) where.push(eq(problems.status, q.status));
    if (q.unit) where.push(or(eq(problems.leadUnit, q.unit), sql`${problems.involvedUnits} @> ${JSON.stringify([q.unit])}::jsonb`)!);
    if (q.overdue !== undefined) where.push(q.overdue ? overdueAt(now) : sql`not (${overdueAt(now)})`);
    const cond = where.length ? and(...where) : undefined;
    const [items, [{ total }]] = await Promise.all([
      this.db
        .select({
          problem: problems,
          linked: sql<number>`(select count(*) from ${problemTickets} pt where pt.problem_id = ${problems.id} and pt.state = 'linked')::int`,
          proposed: sql<number>`(select count(*) from ${problemTickets} pt where pt.problem_id = ${problems.id} and pt.state = 'proposed')::int`,
        })
        .from(problems)
        .where(cond)
        .orderBy(desc(problems.updatedAt), desc(problems.id))
        .limit(q.limit)
        .offset(q.offset),
      this.db.select({ total: sql<number>`count(*)::int` }).from(problems).where(cond),
    ]);
    return { items: items.map((r) => ({ ...r.problem, linked: Number(r.linked), proposed: Number(r.proposed) })), total: Number(total) };
  }

  async change(id: number, c: ProblemChange, now: Date, actor: string): Promise<ProblemRow> {
    const current = await this.get(id);
    if (!current) throw new ProblemChangeError('not_found', `no problem ${id}`);
    const set: Partial<typeof problems.$inferInsert> = { updatedAt: now };
    if (c.status && c.status !== current.status) {
      if (!problemNext(current.status as ProblemStatus).includes(c.status))
        throw new ProblemChangeError('forbidden_transition', `a problem goes from ${current.status} to ${problemNext(current.status as ProblemStatus).join(' or ')}, not ${c.status}`);
      set.status = c.status;
      if (c.status === 'solved') {
        set.solvedAt = c.solvedAt && c.solvedAt < now ? c.solvedAt : now;
        set.recurredAt = null;
      }
    }
    for (const k of ['title', 'leadUnit', 'involvedUnits', 'targetDate', 'notes'] as const) if (c[k] !== undefined) (set as Record<string, unknown>)[k] = c[k];
    const edited = (['title', 'leadUnit', 'involvedUnits', 'targetDate', 'notes'] as const).filter((k) => c[k] !== undefined);
    return this.db.transaction(async (tx) => {
      // The status it was read in: two people changing it at once cannot both pass the transition check.
      const [row] = await tx.update(problems).set(set).where(and(eq(problems.id, id), eq(problems.status, current.status))).returning();
      if (!row) throw new ProblemChangeError('forbidden_transition', `problem ${id} changed meanwhile; reload it`);
      if (set.status) await tx.insert(problemEvents).values({ problemId: id, kind: 'status', fromStatus: current.status, toStatus: set.status, actor, createdAt: now });
      if (edited.length) await tx.insert(problemEvents).values({ problemId: id, kind: 'edited', actor, note: edited.join(', '), createdAt: now });
      return row;
    });
  }

  /** Links tickets by number (a proposal becomes a link); `rejected` turns proposals down. */
  async decide(id: number, numbers: string[], state: 'linked' | 'rejected', actor: string, now: Date): Promise<number> {
    if (!(await this.get(id))) throw new ProblemChangeError('not_found', `no problem ${id}`);
    const found = await this.db.select({ id: tickets.id, number: tickets.number }).from(tickets).where(inArray(tickets.number, numbers));
    if (found.length !== new Set(numbers).size) {
      const known = new Set(found.map((t) => t.number));
      throw new ProblemChangeError('unknown_tickets', `no such tickets: ${numbers.filter((n) => !known.has(n)).join(', ')}`);
    }
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .insert(problemTickets)
        .values(found.map((t) => ({ problemId: id, ticketId: t.id, state, actor, decidedAt: now })))
        .onConflictDoUpdate({ target: [problemTickets.problemId, problemTickets.ticketId], set: { state, actor, decidedAt: now } })
        .returning();
      await tx.update(problems).set({ updatedAt: now }).where(eq(problems.id, id));
      await tx.insert(problemEvents).values({ problemId: id, kind: state, actor, note: found.map((t) => t.number).join(', '), createdAt: now });
      return rows.length;
    });
  }

  async tickets(id: number): Promise<LinkedTicket[]> {
    const rows = await this.db
      .select({ number: tickets.number, text: tickets.text, street: tickets.street, category: tickets.category, status: tickets.status, state: problemTickets.state, createdAt: tickets.createdAt })
      .from(problemTickets)
      .innerJoin(tickets, eq(tickets.id, problemTickets.ticketId))
      .where(eq(problemTickets.problemId, id))
      .orderBy(desc(tickets.createdAt));
    return rows;
  }

  /**
   * New tickets (created since `since`) that match a problem are proposed for linking: same category, and
   * either naming the problem's spot (or organisation) or at its street and reading like one of its latest
   * linked tickets.
   * Proposed once per problem and ticket; a person confirms or rejects.
   */
  async proposeLinks(since: Date, bars: SamenessBars): Promise<number> {
    const open = await this.db.select().from(problems).where(isNotNull(problems.category));
    if (!open.length) return 0;
    const fresh = await this.db
      .select({ id: tickets.id, text: tickets.text, category: tickets.category, district: tickets.district, street: tickets.street })
      .from(tickets)
      .where(and(gte(tickets.createdAt, since), inArray(tickets.category, [...new Set(open.map((p) => p.category!))])));
    if (!fresh.length) return 0;
    const features = new TextFeatureCache();
    const proposals: (typeof problemTickets.$inferInsert)[] = [];
    for (const p of open) {
      const linked = await this.db
        .select({ id: tickets.id, text: tickets.text, district: tickets.district, street: tickets.street })
        .from(problemTickets)
        .innerJoin(tickets, eq(tickets.id, problemTickets.ticketId))
        .where(and(eq(problemTickets.problemId, p.id), eq(problemTickets.state, 'linked')))
        .orderBy(desc(tickets.createdAt))
        .limit(COMPARE_WITH);
      const known = new Set(
        (await this.db.select({ id: problemTickets.ticketId }).from(problemTickets).where(and(eq(problemTickets.problemId, p.id), inArray(problemTickets.ticketId, fresh.map((t) => t.id))))).map((r) => r.id),
      );
      for (const t of fresh) {
        if (t.category !== p.category || known.has(t.id)) continue;
        const drop = [t.district, t.street];
        const atSpot = p.spot ? spots(t.text, drop).has(p.spot) || organisations(t.text, drop).has(p.spot) : false;
        const alike = p.street !== null && t.street === p.street && linked.some((l) => sameProblem(t.text, l.text, [...drop, l.district, l.street], bars, features).same);
        if (atSpot || alike) proposals.push({ problemId: p.id, ticketId: t.id, state: 'proposed' });
      }
    }
    if (!proposals.length) return 0;
    const inserted = await this.db.insert(problemTickets).values(proposals).onConflictDoNothing().returning();
    return inserted.length;
  }

  /**
   * Solved problems whose place calls again (RECUR_MIN_TICKETS matching tickets since it was solved, linked
   * or proposed) go to monitoring; returns them so the lead unit can be alerted (未诉先办).
   */
  async recurrences(now: Date): Promise<ProblemRow[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(problems)
        .set({ status: 'monitoring', recurredAt: now, updatedAt: now })
        .where(
          and(
            eq(problems.status, 'solved'),
            sql`(select count(*) from ${problemTickets} pt join ${tickets} t on t.id = pt.ticket_id
                 where pt.problem_id = ${problems.id} and pt.state <> 'rejected' and t.created_at >= ${problems.solvedAt}) >= ${RECUR_MIN_TICKETS}`,
          ),
        )
        .returning();
      if (rows.length)
        await tx.insert(problemEvents).values(rows.map((p) => ({ problemId: p.id, kind: 'recurred', fromStatus: 'solved', toStatus: 'monitoring', actor: 'system', note: `the place called again after ${p.solvedAt?.toISOString()}`, createdAt: now })));
      return rows;
    });
  }

  /** Tickets per week (linked or proposed): 8 weeks before the day it was solved and up to 8 after. */
  async trend(p: ProblemRow, now: Date, weeks = 8): Promise<ProblemTrend> {
    const anchor = p.solvedAt ?? now;
    const from = new Date(anchor.getTime() - weeks * WEEK_MS);
    const rows = await this.db
      .select({ createdAt: tickets.createdAt })
      .from(problemTickets)
      .innerJoin(tickets, eq(tickets.id, problemTickets.ticketId))
      .where(and(eq(problemTickets.problemId, p.id), notInArray(problemTickets.state, ['rejected']), gte(tickets.createdAt, from)));
    const afterWeeks = p.solvedAt ? Math.min(weeks, Math.max(1, Math.ceil((now.getTime() - anchor.getTime()) / WEEK_MS))) : 0;
    const out: WeekCount[] = [];
    for (let k = -weeks; k < afterWeeks; k++) out.push({ start: new Date(anchor.getTime() + k * WEEK_MS), count: 0, phase: k < 0 ? 'before' : 'after' });
    for (const r of rows) {
      const k = Math.floor((r.createdAt.getTime() - anchor.getTime()) / WEEK_MS);
      if (k >= -weeks && k < afterWeeks) out[k + weeks].count++;
    }
    const sum = (phase: WeekCount['phase']) => out.filter((w) => w.phase === phase).reduce((n, w) => n + w.count, 0);
    const per = (n: number, w: number) => Math.round((n / w) * 100) / 100;
    return {
      solvedAt: p.solvedAt,
      weeks: out,
      before: { weeks, tickets: sum('before'), perWeek: per(sum('before'), weeks) },
      after: p.solvedAt ? { weeks: afterWeeks, tickets: sum('after'), perWeek: per(sum('after'), afterWeeks) } : null,
    };
  }

  async addProject(problemId: number, input: { title: string; owner: string; budget?: number; milestones?: ProblemProjectRow['milestones']; actor: string }, now: Date): Promise<ProblemProjectRow> {
    const { actor, ...fields } = input;
    if (!(await this.get(problemId))) throw new ProblemChangeError('not_found', `no problem ${problemId}`);
    return this.db.transaction(async (tx) => {
      const [row] = await tx.insert(problemProjects).values({ problemId, ...fields, createdAt: now }).returning();
      await tx.update(problems).set({ updatedAt: now }).where(eq(problems.id, problemId));
      await tx.insert(problemEvents).values({ problemId, kind: 'project', actor, note: fields.title, createdAt: now });
      return row;
    });
  }

  /** Records the version the hotline accepted; a newer change since stays owed. */
  async markHotlineSynced(id: number, version: Date): Promise<void> {
    await this.db.update(problems).set({ hotlineSyncedAt: version }).where(eq(problems.id, id));
  }

  /** Problems whose current version the hotline does not have yet (the sweep queues them again). */
  async owedToHotline(limit = 500): Promise<{ id: number; updatedAt: Date }[]> {
    return this.db
      .select({ id: problems.id, updatedAt: problems.updatedAt })
      .from(problems)
      .where(sql`${problems.hotlineSyncedAt} is distinct from ${problems.updatedAt}`)
      .orderBy(problems.updatedAt)
      .limit(limit);
  }

  async events(problemId: number): Promise<ProblemEventRow[]> {
    return this.db.select().from(problemEvents).where(eq(problemEvents.problemId, problemId)).orderBy(problemEvents.createdAt, problemEvents.id);
  }

  async projects(problemId: number): Promise<ProblemProjectRow[]> {
    return this.db.select().from(problemProjects).where(eq(problemProjects.problemId, problemId)).orderBy(problemProjects.id);
  }

  private async ticketsById(ids: number[]): Promise<Map<number, LinkedTicket>> {
    const rows = await this.db
      .select({ id: tickets.id, number: tickets.number, text: tickets.text, street: tickets.street, category: tickets.category, status: tickets.status, createdAt: tickets.createdAt })
      .from(tickets)
      .where(inArray(tickets.id, ids));
    return new Map(rows.map(({ id, ...t }) => [id, { ...t, state: 'suggested' }]));
  }
}

/** Past its target date and not solved. */
function overdueAt(now: Date): SQL {
  return sql`(${problems.targetDate} is not null and ${problems.targetDate} < ${now.toISOString()} and ${problems.status} not in ('solved', 'monitoring'))`;
}
