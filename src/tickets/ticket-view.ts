// A ticket as the API and console show it: camelCase, ISO times, events in order, whether it is overdue, its
// rating, and how it is linked to duplicate reports.
import type { TicketEventRow, TicketRow } from './schema.js';
import { CLOSED_STATUSES } from './ticket-statuses.js';

export interface TicketViewExtras {
  events?: TicketEventRow[];
  /** The primary's number when this ticket is a duplicate report. */
  duplicateOf?: string | null;
  /** Numbers of the duplicate reports linked to this ticket. */
  duplicates?: string[];
  now?: Date;
}

export function isOverdueAt(t: TicketRow, now: Date): boolean {
  return t.dueAt.getTime() < now.getTime() && !CLOSED_STATUSES.includes(t.status as never);
}

export function ticketView(t: TicketRow, extras: TicketViewExtras | TicketEventRow[] = {}) {
  // Older callers pass the events alone.
  const x: TicketViewExtras = Array.isArray(extras) ? { events: extras } : extras;
  const now = x.now ?? new Date();
  return {
    number: t.number,
    status: t.status,
    category: t.category,
    tier: t.tier,
    dueAt: t.dueAt.toISOString(),
    overdue: isOverdueAt(t, now),
    overdueAt: t.overdueAt?.toISOString() ?? null,
    district: t.district,
    street: t.street,
    unit: t.unit,
    channel: t.channel,
    conversationId: t.conversationId,
    senderId: t.senderId,
    senderName: t.senderName,
    isPublic: t.isPublic,
    lang: t.lang,
    text: t.text,
    phone: t.phone,
    details: t.details,
    rating: t.rating,
    ratedAt: t.ratedAt?.toISOString() ?? null,
    ...(x.duplicateOf !== undefined ? { duplicateOf: x.duplicateOf } : {}),
    ...(x.duplicates ? { duplicates: x.duplicates } : {}),
    hotline: { ref: t.hotlineRef, syncedAt: t.hotlineSyncedAt?.toISOString() ?? null },
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    ...(x.events
      ? {
          events: x.events.map((e) => ({
            id: e.id,
            kind: e.kind,
            fromStatus: e.fromStatus,
            toStatus: e.toStatus,
            actor: e.actor,
            unit: e.unit,
            note: e.note,
            at: e.createdAt.toISOString(),
            // A change the external hotline must hear about: when it accepted it (null while still owed).
            ...(e.hotlineOwed ? { hotline: { sentAt: e.hotlineSentAt?.toISOString() ?? null } } : {}),
          })),
        }
      : {}),
  };
}
