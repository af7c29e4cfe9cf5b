// A citizen's open tickets on one channel (same sender), for the operator who is talking to them.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from './db.js';
import { tickets } from './schema.js';
import { OPEN_STATUSES } from './ticket-statuses.js';

export interface OpenTicketSummary {
  number: string;
  status: string;
  category: string | null;
  text: string;
  unit: string | null;
  dueAt: string;
  createdAt: string;
}

export async function citizenOpenTickets(db: Db, channel: string, senderId: string, limit = 20): Promise<OpenTicketSummary[]> {
  const rows = await db
    .select({ number: tickets.number, status: tickets.status, category: tickets.category, text: tickets.text, unit: tickets.unit, dueAt: tickets.dueAt, createdAt: tickets.createdAt })
    .from(tickets)
    .where(and(eq(tickets.channel, channel), eq(tickets.senderId, senderId), inArray(tickets.status, [...OPEN_STATUSES])))
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, dueAt: r.dueAt.toISOString(), createdAt: r.createdAt.toISOString() }));
}
