// The one shape every channel adapter produces and the pipeline consumes (DESIGN.md, "The envelope").
// Only adapters read a platform's raw payload; nothing past this file knows where a message came from.
import { storableText } from './storable-text.js';

export const CHANNEL_NAMES = ['webchat', 'telegram', 'slack', 'wechat', 'weibo', 'api'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export interface InboundMessage {
  /** `${channel}:${platform message id}` — the idempotency key (BullMQ job id, tickets.source_message_id). */
  id: string;
  channel: ChannelName;
  /** Where a reply goes: chat id, session id, microblog status id. */
  conversationId: string;
  sender: { id: string; name?: string };
  /** NFKC-normalized, trimmed, length-limited (see normalizeText); storable (storableMessage, at the intake). */
  text: string;
  location?: { lat: number; lng: number; label?: string };
  attachments?: { kind: 'image' | 'file'; url: string }[];
  /** True where everyone sees the reply (microblog): replies then carry no personal data. */
  isPublic: boolean;
  receivedAt: Date;
  /** A button the citizen pressed (quick reply payload), when the channel has buttons. */
  action?: string;
}

/** Where a reply is delivered: enough for the channel's sender, serializable into a queue job. */
export interface Address {
  channel: ChannelName;
  conversationId: string;
  senderId?: string;
  isPublic?: boolean;
  /** Platform id of the message being answered (threaded replies: comment threads, chat threads). */
  replyTo?: string;
}

export interface QuickReply {
  label: string;
  /** What comes back as InboundMessage.action when pressed (or is typed, on channels without buttons). */
  payload: string;
}

export type ReplyKind = 'answer' | 'chitchat' | 'ack' | 'ticket' | 'feedback' | 'question' | 'visit' | 'agent' | 'error';

/** What the pipeline says. Only `text` is required; channels without buttons degrade quickReplies to text. */
export interface Reply {
  text: string;
  /** Stable id, so a delivery retried after a partial failure is shown once. */
  id?: string;
  kind?: ReplyKind;
  quickReplies?: QuickReply[];
  ticketNumber?: string;
  faqId?: string;
}

export function addressOf(msg: InboundMessage): Address {
  return {
    channel: msg.channel,
    conversationId: msg.conversationId,
    senderId: msg.sender.id,
    isPublic: msg.isPublic,
  };
}

/**
 * The envelope with every string in it made storable (storableText): the intake applies this to each message
 * as it arrives, so whatever a channel's normalizer let through (or produced, cutting an emoji's surrogate pair
 * at the length limit), the ticket, the ledger, the conversation state and the channel's history all get text the
 * database takes. Ids are mapped too: a platform's id never holds such characters, and if one did the same id
 * still maps to the same stored id.
 */
export function storableMessage(m: InboundMessage): InboundMessage {
  const s = storableText;
  const out: InboundMessage = {
    ...m,
    id: s(m.id),
    conversationId: s(m.conversationId),
    sender: m.sender.name === undefined ? { id: s(m.sender.id) } : { id: s(m.sender.id), name: s(m.sender.name) },
    text: s(m.text),
  };
  if (m.location) out.location = m.location.label === undefined ? { ...m.location } : { ...m.location, label: s(m.location.label) };
  if (m.attachments) out.attachments = m.attachments.map((a) => ({ ...a, url: s(a.url) }));
  if (m.action !== undefined) out.action = s(m.action);
  return out;
}
