// What a conversation remembers between messages. Stored as JSON in Redis with an idle expiry
// (src/core/conversation-state.ts); everything here must survive a JSON round trip.
import type { Decision, Lang } from '../../nlu/decision.js';
import type { QuickReply } from '../envelope.js';
import type { SerializedMessage } from '../serialize.js';

/** A complaint being completed before it becomes a ticket. */
export interface PendingComplaint {
  /** The complaint's first message: its id becomes the ticket's source id, so the ticket is made once. */
  message: SerializedMessage;
  /** Everything the citizen said about it, joined. */
  text: string;
  /** The NLU's view, with slots filled in from later messages. */
  decision: Decision;
  /** A place the citizen named that the NLU could not map to a district or street (小区, 路口, a location pin). */
  placeText?: string;
  stage: 'slot' | 'confirm';
  /** The slot being asked for and how many times it was asked. */
  asking?: 'place' | 'subway';
  tries: number;
  /** Id of the message that last changed it: the expiry job for an older version does nothing. */
  version: string;
}

export interface ConversationState {
  lang?: Lang;
  turns: number;
  lastFaqId?: string;
  /** The answer of lastFaqId was rated already (a rating counts once per answer). */
  ratedFaqId?: string;
  /** The last question answered from the FAQ, so 没解决 can make a ticket of it. */
  lastQuestion?: SerializedMessage;
  /** Payloads of the buttons last shown, so a typed digit picks one on channels without buttons. */
  lastQuickReplies?: string[];
  /** Messages in a row the bot did not understand. */
  failures?: number;
  pending?: PendingComplaint;
  /** Set while a person owns the conversation: the bot stays quiet. */
  handoff?: { since: string };
}

export function emptyState(): ConversationState {
  return { turns: 0 };
}

export function payloads(quickReplies: QuickReply[] | undefined): string[] | undefined {
  return quickReplies?.length ? quickReplies.map((q) => q.payload) : undefined;
}
