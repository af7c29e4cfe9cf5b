// What a citizen is told when their ticket moves (DESIGN.md: "status change ▸ ticket event ▸ outbound
// feedback"), in the ticket's language, on the ticket's own channel and conversation. Pure: an event and its
// ticket in, a Reply (or nothing) out. Public channels (microblog) get a sentence with no number, no office
// and no details, and no return visit (the answer would be public too).
import type { Reply } from '../core/envelope.js';
import type { Address } from '../core/envelope.js';
import type { ChannelName } from '../core/envelope.js';
import { TICKET_PHRASES } from '../core/replies.js';
import type { Lang, TierId } from '../nlu/decision.js';
import type { TicketEventRow, TicketRow } from './schema.js';
import { isStatus } from './ticket-statuses.js';
import { isTier } from './time-limits.js';
import { RATING_LABEL } from './ticket-transitions.js';

export function langOf(t: TicketRow): Lang {
  return t.lang === 'en' ? 'en' : 'zh';
}

export function addressOfTicket(t: TicketRow): Address {
  return { channel: t.channel as ChannelName, conversationId: t.conversationId, senderId: t.senderId, isPublic: t.isPublic };
}

/**
 * A due time as the citizen reads it: the day for the 7- and 15-day limits ("11月29日"), the day and time for
 * the 2- and 24-hour ones ("11月29日 14:30"), in the hotline's time zone.
 */
export function formatDueFor(at: Date, tier: string, lang: Lang, timeZone: string): string {
  const withTime = !isTier(tier) || (['2h', '24h'] as TierId[]).includes(tier);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const time = withTime ? ` ${get('hour') === '24' ? '00' : get('hour')}:${get('minute')}` : '';
  if (lang === 'zh') return `${Number(get('month'))}月${Number(get('day'))}日${time}`;
  const month = new Intl.DateTimeFormat('en-GB', { timeZone, month: 'short' }).format(at);
  return `${Number(get('day'))} ${month}${withTime ? `,${time}` : ''}`;
}

export const VISIT_PAYLOAD = (number: string, rating: 'satisfied' | 'basically' | 'unsatisfied') => `visit:${number}:${rating}`;

/** The return-visit question's buttons; channels without buttons show the text, where 1/2/3 work. */
export function visitQuickReplies(number: string, lang: Lang): NonNullable<Reply['quickReplies']> {
  const r = TICKET_PHRASES[lang].ratings;
  return [
    { label: r.satisfied, payload: VISIT_PAYLOAD(number, 'satisfied') },
    { label: r.basically, payload: VISIT_PAYLOAD(number, 'basically') },
    { label: r.unsatisfied, payload: VISIT_PAYLOAD(number, 'unsatisfied') },
  ];
}

/** The feedback for one event, or undefined when the event is not the citizen's business. */
export function feedbackFor(event: TicketEventRow, ticket: TicketRow, timeZone: string): Omit<Reply, 'id'> | undefined {
  const lang = langOf(ticket);
  const p = TICKET_PHRASES[lang];
  const number = ticket.number;
  const due = formatDueFor(ticket.dueAt, ticket.tier, lang, timeZone);
  const unit = event.unit ?? ticket.unit ?? '';
  const base = { kind: 'feedback' as const, ...(ticket.isPublic ? {} : { ticketNumber: number }) };

  if (ticket.isPublic) {
    if (event.kind === 'resolved' || event.kind === 'visited') return { ...base, text: p.publicResolved };
    if (event.kind === 'dispatched' || event.kind === 'redispatched') return { ...base, text: p.publicProgress };
    return undefined;
  }
  switch (event.kind) {
    case 'dispatched':
      return { ...base, text: p.dispatched({ number, unit, due }) };
    case 'redispatched':
      return { ...base, text: p.redispatched({ number, unit, due }) };
    case 'in_progress':
      return { ...base, text: p.inProgress({ number, unit }) };
    case 'resolved':
      return { ...base, kind: 'visit', text: `${p.resolved({ number, note: event.note })}\n${p.visitQuestion({ number })}`, quickReplies: visitQuickReplies(number, lang) };
    case 'rejected':
      return { ...base, text: p.rejected({ number, note: event.note }) };
    case 'reopened':
      return { ...base, text: p.reopened({ number, unit, due }) };
    case 'visited': {
      const rating = ticket.rating && ticket.rating in RATING_LABEL ? p.ratings[ticket.rating as keyof typeof RATING_LABEL] : '';
      return { ...base, text: p.visited({ number, rating }) };
    }
    default:
      return undefined;
  }
}

/** One line per ticket for "查询工单" / "我的工单": status, office, time limit, and the latest step. */
export function statusText(ticket: TicketRow, lastEvent: TicketEventRow | undefined, timeZone: string): string {
  const lang = langOf(ticket);
  const p = TICKET_PHRASES[lang];
  const status = isStatus(ticket.status) ? p.status[ticket.status] : ticket.status;
  const line = p.statusLine({ number: ticket.number, status, unit: ticket.unit, due: formatDueFor(ticket.dueAt, ticket.tier, lang, timeZone) });
  if (!lastEvent || !lastEvent.toStatus || !isStatus(lastEvent.toStatus) || lastEvent.kind === 'created') return line;
  const at = formatDueFor(lastEvent.createdAt, '2h', lang, timeZone);
  const what = `${p.status[lastEvent.toStatus]}${lastEvent.note && lastEvent.notify === 'citizen' ? `（${lastEvent.note}）` : ''}`;
  return `${line}\n${p.lastUpdate({ what, at })}`;
}
