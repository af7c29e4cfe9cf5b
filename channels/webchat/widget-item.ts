// What the widget shows of a conversation turn (src/core/conversation-log.ts). The web chat's history is the
// conversation log itself, the one the staff read; the citizen sees less of it: not which operator wrote, which
// FAQ entry answered or the stored pictures' references. Ids lose the channel's prefix, so the widget recognises
// its own message by the messageId it sent.
import type { ConversationTurn } from '../../src/core/conversation-log.js';
import type { QuickReply, ReplyKind } from '../../src/core/envelope.js';

export interface WidgetItem {
  id: string;
  from: ConversationTurn['from'];
  text: string;
  kind?: ReplyKind;
  quickReplies?: QuickReply[];
  ticketNumber?: string;
  at: string;
}

/** The envelope id of a web chat message: the session is part of it (another session's message ids never clash). */
export function webchatMessageId(sessionId: string, messageId: string): string {
  return `webchat:${sessionId}/${messageId}`;
}

export function widgetItem(turn: ConversationTurn, sessionId: string): WidgetItem {
  const own = webchatMessageId(sessionId, '');
  return {
    id: turn.id.startsWith(own) ? turn.id.slice(own.length) : turn.id,
    from: turn.from,
    text: turn.text,
    ...(turn.kind ? { kind: turn.kind } : {}),
    ...(turn.quickReplies ? { quickReplies: turn.quickReplies } : {}),
    ...(turn.ticketNumber ? { ticketNumber: turn.ticketNumber } : {}),
    at: turn.at,
  };
}
