// The whole conversation as staff see it, on every channel: what the citizen wrote, what the bot answered (FAQ
// answers, questions, the ticket number it made) and what operators said. The operator who takes over a
// conversation reads it from the start, and a ticket's page shows the conversation that produced it. This is the
// port; the store behind it keeps a bounded number of recent turns for a bounded time (best effort: the durable
// copies are the ticket, the ledger and the handoff desk's messages).
import type { InboundMessage, Reply, ReplyKind } from './envelope.js';

export interface ConversationKey {
  channel: string;
  conversationId: string;
}

export interface ConversationTurn {
  /** Stable: the message id, or the reply's id, so a retried append or delivery is kept once. */
  id: string;
  from: 'citizen' | 'bot' | 'agent';
  text: string;
  /** ISO time. */
  at: string;
  kind?: ReplyKind;
  faqId?: string;
  ticketNumber?: string;
  /** The staff user who wrote an agent turn. */
  agent?: string;
  /** References of the pictures a citizen's message carried (the envelope's image attachments). */
  attachments?: string[];
}

export interface ConversationLog {
  /** Appends the turns whose ids are not there yet, in order. */
  append(conversation: ConversationKey, turns: ConversationTurn[]): Promise<void>;
  /** The kept turns, oldest first (empty when none are kept). */
  read(conversation: ConversationKey): Promise<ConversationTurn[]>;
}

/** A delivered reply as a turn: an operator's reply is the agent's, anything else the bot's. */
export function replyTurn(reply: Reply, id: string, at: Date, agent?: string): ConversationTurn {
  return {
    id,
    from: reply.kind === 'agent' ? 'agent' : 'bot',
    text: reply.text,
    at: at.toISOString(),
    ...(reply.kind ? { kind: reply.kind } : {}),
    ...(reply.faqId ? { faqId: reply.faqId } : {}),
    ...(reply.ticketNumber ? { ticketNumber: reply.ticketNumber } : {}),
    ...(agent ? { agent } : {}),
  };
}

/** A citizen's message and the replies the intake gave it at once. */
export function intakeTurns(message: InboundMessage, replies: Reply[], answeredAt: Date): ConversationTurn[] {
  const pictures = (message.attachments ?? []).filter((a) => a.kind === 'image').map((a) => a.url);
  const citizen: ConversationTurn = { id: message.id, from: 'citizen', text: message.text, at: message.receivedAt.toISOString(), ...(pictures.length ? { attachments: pictures } : {}) };
  return [citizen, ...replies.map((r, i) => replyTurn(r, r.id ?? `${message.id}#${i}`, answeredAt))];
}
