// The only place that knows a partner request's shape: JSON in, envelope out. Pure; the clock is passed in.
// The partner id is part of every id, so two partners' "msg-1" or "user-1" are never the same thing.
import type { InboundMessage } from '../../src/core/envelope.js';
import { NormalizationError } from '../../src/core/errors.js';
import { MAX_TEXT_LENGTH, normalizeText } from '../../src/core/normalize-text.js';
import { PartnerMessageSchema } from './request-schema.js';
import { invalidField } from '../../src/http/validate.js';

export function normalizePartnerMessage(partnerId: string, body: unknown, now: Date = new Date()): InboundMessage {
  const parsed = PartnerMessageSchema.safeParse(body);
  if (!parsed.success) {
    const invalid = invalidField(parsed.error, 'body');
    throw new NormalizationError(invalid.reason, invalid.field);
  }
  const b = parsed.data;
  const text = normalizeText(b.text);
  if (text.length > MAX_TEXT_LENGTH) throw new NormalizationError(`text: is longer than ${MAX_TEXT_LENGTH} characters`, 'text');
  if (!text && !b.location && !b.attachments?.length && !b.action) throw new NormalizationError('text: is empty', 'text');
  const name = b.sender.name ? normalizeText(b.sender.name) : '';
  const label = b.location?.label ? normalizeText(b.location.label) : '';
  return {
    id: `api:${partnerId}/${b.messageId}`,
    channel: 'api',
    conversationId: `${partnerId}/${b.conversationId}`,
    sender: { id: `${partnerId}/${b.sender.id}`, ...(name ? { name } : {}) },
    text,
    ...(b.location ? { location: { lat: b.location.lat, lng: b.location.lng, ...(label ? { label } : {}) } } : {}),
    ...(b.attachments?.length ? { attachments: b.attachments } : {}),
    ...(b.action ? { action: b.action } : {}),
    isPublic: false,
    receivedAt: now,
  };
}

/** Splits an address's conversationId back into the partner and the partner's own conversation id. */
export function splitConversation(conversationId: string): { partnerId: string; conversationId: string } {
  const slash = conversationId.indexOf('/');
  if (slash <= 0) throw new NormalizationError(`conversation ${conversationId.slice(0, 80)} has no partner`);
  return { partnerId: conversationId.slice(0, slash), conversationId: conversationId.slice(slash + 1) };
}
