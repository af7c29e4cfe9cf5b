// A ticket as the API and console show it: camelCase, ISO times, events in order.
import type { TicketEventRow, TicketRow } from './schema.js';

export function ticketView(t: TicketRow, events?: TicketEventRow[]) {
  return {
    number: t.number,
    status: t.status,
    category: t.category,
    tier: t.tier,
    dueAt: t.dueAt.toISOString(),
    district: t.district,
    street: t.street,
    unit: t.unit,
    channel: t.channel,
    conversationId: t.conversationId,
    senderId: t.senderId,
    senderName: t.senderName,
    lang: t.lang,
    text: t.text,
    phone: t.phone,
    details: t.details,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    ...(events
      ? {
          events: events.map((e) => ({
            kind: e.kind,
            fromStatus: e.fromStatus,
            toStatus: e.toStatus,
            actor: e.actor,
            note: e.note,
            at: e.createdAt.toISOString(),
          })),
        }
      : {}),
  };
}
