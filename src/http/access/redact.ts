// A ticket as a caller may read it. Units and analysts read phone numbers masked (显示 reveals one, audited:
// POST /api/admin/tickets/:number/phone); analysts also read tickets anonymously — no name, no platform ids,
// no collected details, and personal numbers masked in every text.
import { maskPersonalData } from '../../core/mask.js';
import type { AppAbility } from './policy.js';

/** A phone number with its middle hidden, whatever its shape: 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  const masked = maskPersonalData(phone);
  if (masked !== phone) return masked;
  return phone.length <= 4 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}${'*'.repeat(Math.max(1, phone.length - 7))}${phone.slice(-4)}`;
}

interface TicketLike {
  phone: string | null;
  text: string;
  senderName?: string | null;
  senderId?: string;
  conversationId?: string;
  details?: Record<string, unknown>;
  events?: { note: string | null }[];
}

/** `view` as `ability` may read it, with `phoneMasked` saying whether 显示 has something to show. */
export function redactTicket<T extends TicketLike>(view: T, ability: AppAbility | undefined): T & { phoneMasked?: boolean } {
  if (!ability || ability.can('readPersonal', 'Ticket')) return view;
  const out: T & { phoneMasked?: boolean } = {
    ...view,
    phone: view.phone ? maskPhone(view.phone) : view.phone,
    phoneMasked: Boolean(view.phone),
    text: maskPersonalData(view.text),
    ...(view.events ? { events: view.events.map((e) => ({ ...e, note: e.note === null ? null : maskPersonalData(e.note) })) } : {}),
  };
  if (ability.can('readIdentity', 'Ticket')) return out;
  return {
    ...out,
    ...(view.senderName !== undefined ? { senderName: view.senderName ? '***' : view.senderName } : {}),
    ...(view.senderId !== undefined ? { senderId: '***' } : {}),
    ...(view.conversationId !== undefined ? { conversationId: '***' } : {}),
    ...(view.details !== undefined ? { details: {} } : {}),
  };
}
