// Ticket numbers look like 20261128-000123: the intake day in the hotline's time zone, then that day's
// sequence. The sequence comes from ticket_counters inside the ticket's own transaction, so numbers are
// unique across any number of workers and never reused.
import { sql } from 'drizzle-orm';
import type { Db } from './db.js';

export function dayKey(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}${get('month')}${get('day')}`;
}

export function formatTicketNumber(day: string, seq: number): string {
  return `${day}-${String(seq).padStart(6, '0')}`;
}

export const TICKET_NUMBER = /^\d{8}-\d{6,}$/;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export async function nextTicketNumber(tx: Tx | Db, at: Date, timeZone: string): Promise<string> {
  const day = dayKey(at, timeZone);
  const res = await tx.execute(
    sql`insert into ticket_counters (day, last) values (${day}, 1)
        on conflict (day) do update set last = ticket_counters.last + 1
        returning last`,
  );
  const rows = (res as unknown as { rows: { last: number | string }[] }).rows;
  return formatTicketNumber(day, Number(rows[0].last));
}
