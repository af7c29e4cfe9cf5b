// The whole conversation as staff see it, on every channel: what the citizen wrote, what the bot answered (FAQ
// answers, questions, the ticket number it made) and what operators said. The operator who takes over a
// conversation reads it from the start, and a ticket's page shows the conversation that produced it. This is the
// port; the store behind it keeps a bounded number of recent turns for a bounded time (best effort: the durable
// copies are the ticket, the ledger and the handoff desk's messages).
import type { InboundMessage, QuickReply, Reply, ReplyKind } from './envelope.js';

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
  /** The buttons a bot turn offered (the web chat shows them again after a reload). */
  quickReplies?: QuickReply[];
}

/** Turns to append to one conversation's log. */
export interface LogEntry {
  conversation: ConversationKey;
  turns: ConversationTurn[];
}

export interface ConversationLog {
  /** Appends the turns whose ids are not there yet, in order. */
  append(conversation: ConversationKey, turns: ConversationTurn[]): Promise<void>;
  /**
   * Appends every entry's turns at once (a batch of deliveries); resolves, per entry, the error that stopped it or
   * undefined when its turns are kept (now or before).
   */
  appendEach(entries: LogEntry[]): Promise<(Error | undefined)[]>;
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
    ...(reply.quickReplies?.length ? { quickReplies: reply.quickReplies } : {}),
    ...(agent ? { agent } : {}),
  };
}

/**
 * A citizen's message and the replies the intake gave it at once. The replies are timed a millisecond apart
 * right after the message: the intake answers within the request, and a reply delivered later (a ticket's
 * confirmation, which a worker may write before the intake records these) must sort after them.
 */
export function intakeTurns(message: InboundMessage, replies: Reply[]): ConversationTurn[] {
  const pictures = (message.attachments ?? []).filter((a) => a.kind === 'image').map((a) => a.url);
  const received = message.receivedAt.getTime();
  const citizen: ConversationTurn = { id: message.id, from: 'citizen', text: message.text, at: message.receivedAt.toISOString(), ...(pictures.length ? { attachments: pictures } : {}) };
  return [citizen, ...replies.map((r, i) => replyTurn(r, r.id ?? `${message.id}#${i}`, new Date(received + 1 + i)))];
}

/** Oldest first by time: a worker's reply can be written before the turns of the message that caused it. */
export function inTimeOrder(turns: ConversationTurn[]): ConversationTurn[] {
  return [...turns].sort((a, b) => a.at.localeCompare(b.at));
}
