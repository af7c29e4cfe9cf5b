// Retention (DESIGN.md, "Privacy"): once a ticket has been closed for RETENTION_DAYS, the personal parts are
// removed — the sender's name, the phone, the location pin, free-text address and photos — and in the text and in its
// events' and call-ins' notes (an office may write "已联系李明 138…") numbers are masked, and so are the sender's name and the
// names the text introduces ("我叫…", "联系人：…"; src/core/person-names.ts). What the reports need (category,
// place, times, status, rating) stays. Runs in batches from the periodic supervision job; a ticket is redacted
// once (details.redactedAt, written last, so a run that dies midway is finished by the next). Staff's internal
// notes on the conversation that produced it (the agent inbox's 备注) are masked too, those written before the cutoff.
import { and, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { conversationNotes, ticketCallins, ticketEvents, tickets } from './schema.js';
import { maskPersonalData } from '../core/mask.js';
import { maskPersonNames } from '../core/person-names.js';
import { PhotoStore } from './photo-store.js';
import { attachmentRefsOf } from './ticket-photos.js';

const FINISHED = ['visited', 'rejected'] as const;

/** `photos` defaults to a store over `db` alone, which cannot remove pictures kept in the photo bucket. */
export async function redactClosedTickets(db: Db, now: Date, retentionDays: number, opts: { batch?: number; photos?: PhotoStore } = {}): Promise<number> {
  const batch = opts.batch ?? 500;
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 3600_000);
  const rows = await db
    .select({ id: tickets.id, text: tickets.text, senderName: tickets.senderName, details: tickets.details, channel: tickets.channel, conversationId: tickets.conversationId })
    .from(tickets)
    .where(and(inArray(tickets.status, [...FINISHED]), lt(tickets.updatedAt, cutoff), sql`not (${tickets.details} ? 'redactedAt')`))
    .limit(batch);
  if (!rows.length) return 0;
  const nameOf = new Map(rows.map((r) => [r.id, r.senderName]));
  const redact = (text: string, ticketId: number) => maskPersonalData(maskPersonNames(text, [nameOf.get(ticketId)]));
  const notes = await db
    .select({ id: ticketEvents.id, ticketId: ticketEvents.ticketId, note: ticketEvents.note })
    .from(ticketEvents)
    .where(and(inArray(ticketEvents.ticketId, rows.map((r) => r.id)), isNotNull(ticketEvents.note)));
  for (const n of notes) {
    const masked = redact(n.note!, n.ticketId);
    if (masked !== n.note) await db.update(ticketEvents).set({ note: masked }).where(eq(ticketEvents.id, n.id));
  }
  const conversations = sql.join(
    rows.map((r) => sql`(${r.channel}, ${r.conversationId})`),
    sql`, `,
  );
  const staffNotes = await db
    .select({ id: conversationNotes.id, text: conversationNotes.text, channel: conversationNotes.channel, conversationId: conversationNotes.conversationId })
    .from(conversationNotes)
    .where(and(sql`(${conversationNotes.channel}, ${conversationNotes.conversationId}) in (${conversations})`, lt(conversationNotes.createdAt, cutoff)));
  for (const n of staffNotes) {
    const names = rows.filter((r) => r.channel === n.channel && r.conversationId === n.conversationId).map((r) => r.senderName);
    const masked = maskPersonalData(maskPersonNames(n.text, names));
    if (masked !== n.text) await db.update(conversationNotes).set({ text: masked }).where(eq(conversationNotes.id, n.id));
  }
  const callins = await db
    .select({ id: ticketCallins.id, ticketId: ticketCallins.ticketId, note: ticketCallins.note, reportNote: ticketCallins.reportNote })
    .from(ticketCallins)
    .where(inArray(ticketCallins.ticketId, rows.map((r) => r.id)));
  for (const c of callins) {
    const note = c.note === null ? null : redact(c.note, c.ticketId);
    const reportNote = c.reportNote === null ? null : redact(c.reportNote, c.ticketId);
    if (note !== c.note || reportNote !== c.reportNote) await db.update(ticketCallins).set({ note, reportNote }).where(eq(ticketCallins.id, c.id));
  }
  // The citizen's photos go with the attachments that pointed to them (a photo may show a home or a face).
  const photoStore = opts.photos ?? new PhotoStore(db);
  for (const row of rows) {
    await photoStore.removeOf(`${row.channel}:${row.conversationId}`, attachmentRefsOf(row));
    await db
      .update(tickets)
      .set({
        senderName: null,
        phone: null,
        text: redact(row.text, row.id),
        details: sql`(${tickets.details} - 'location' - 'placeText' - 'attachments') || jsonb_build_object('redactedAt', ${now.toISOString()}::text)`,
      })
      .where(sql`${tickets.id} = ${row.id}`);
  }
  return rows.length;
}
