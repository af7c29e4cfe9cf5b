// Which tickets a staff member reaches. Every role but `unit` reaches all of them; a unit reaches the tickets
// dispatched to it, and those it is brought in on by another way of reaching (`reaches`: 吹哨报到 call-ins,
// calledIn below, wired by the gateway).
//
// One SQL condition over `tickets t` serves the lists (a WHERE clause) and single tickets (inScope), so what a
// unit can list and what it can open cannot drift apart. A ticket outside the scope is answered 404, as if it
// did not exist, so ticket numbers do not leak to other units.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../tickets/db.js';
import { queryRows } from '../../reports/sql-rows.js';
import type { Actor } from './policy.js';

/** One more way a unit reaches a ticket, as a condition over the tickets row `t` (e.g. it was called in). */
export type UnitReach = (unit: string, t: SQL) => SQL;

export interface TicketScope {
  /**
   * The condition limiting what `who` reaches, over the tickets table under the name `table` (`t` where the
   * query says `from tickets t`, `tickets` for a Drizzle query on the table); undefined: every ticket.
   */
  where(who: Actor, table?: 't' | 'tickets'): SQL | undefined;
  /** Whether `who` reaches the ticket with this number (false also when there is no such ticket). */
  inScope(db: Db, who: Actor, number: string): Promise<boolean>;
}

/** 吹哨报到: a unit called in to a ticket reaches it (sees it as 协办, and reports on it). */
export const calledIn: UnitReach = (unit, t) => sql`exists (select 1 from ticket_callins c where c.ticket_id = ${t}.id and c.unit = ${unit})`;

export function ticketScope(opts: { reaches?: UnitReach[] } = {}): TicketScope {
  const reaches = opts.reaches ?? [];
  const where = (who: Actor, table: 't' | 'tickets' = 't'): SQL | undefined => {
    if (who.role !== 'unit') return undefined;
    // A unit account always has a unit (StaffStore checks it); one without reaches nothing.
    if (!who.unit) return sql`false`;
    const t = sql.raw(table);
    // Dispatched to it: a ticket still `received` is only routed there, waiting for the centre to dispatch it.
    const ways = [sql`(${t}.unit = ${who.unit} and ${t}.status <> 'received')`, ...reaches.map((r) => r(who.unit!, t))];
    return sql`(${sql.join(ways, sql` or `)})`;
  };
  return {
    where,
    async inScope(db, who, number) {
      const cond = where(who);
      if (!cond) return true;
      const rows = await queryRows<{ one: number }>(db, sql`select 1 as one from tickets t where t.number = ${number} and ${cond} limit 1`);
      return rows.length > 0;
    },
  };
}
