// Port: what the intake remembers about messages and conversations, and the flood control it counts them
// against. The intake asks for it in two steps per message — recall before the dialogue, commit after — so an
// implementation can make each step one round trip (src/queue/intake-memory.ts does, on Redis); tests use one
// in memory. The commit also carries the message's turns for the conversation log (conversation-log.ts): they
// are kept with the ledger entry, by the delivery that records first, in the same step.
import type { IntakeResult } from './channel-adapter.js';
import type { ConversationState } from './dialogue/conversation.js';
import type { ConversationKey, LogEntry } from './conversation-log.js';

/** What a message id got, kept so a redelivery gets the same replies and nothing happens twice. */
export type LedgerEntry = Omit<IntakeResult, 'duplicate'>;

export interface LimitVerdict {
  ok: boolean;
  /** When not ok: how long until the next message would be accepted. */
  retryAfterMs: number;
}

/**
 * What a message counts against: its sender's budget, and its client's (the network address it came from)
 * when the channel's citizens reach us directly and the channel says which address it is.
 */
export interface FloodKeys {
  sender: string;
  client?: string;
}

export interface FloodVerdicts {
  client?: LimitVerdict;
  sender?: LimitVerdict;
}

export interface Recalled extends FloodVerdicts {
  /** The ledger's entry when this message id was seen before. */
  seen?: LedgerEntry;
  /** The conversation's state, when it has one. */
  state?: ConversationState;
}

export type { ConversationKey };

/** The outcome of recording a message's result: the first delivery of an id to record wins. */
export interface Claim {
  first: boolean;
  /** This delivery's entry when first, else the winner's. */
  result: LedgerEntry;
}

export interface IntakeMemory {
  /**
   * Counts the message against its client's budget; over it, nothing else is counted or read and only `client`
   * is set. Otherwise counts it against its sender's, and reads the ledger entry for `id` and the conversation's
   * state (none without a conversation). Rejects when the store does not answer.
   */
  recall(id: string, conversation: ConversationKey | undefined, flood: FloodKeys): Promise<Recalled>;
  /** Counts the message in this process alone: for when recall could not answer. */
  countLocally(flood: FloodKeys): Promise<FloodVerdicts>;
  /** A request refused before it became a message still counts against its client's budget. */
  countClient(client: string): Promise<LimitVerdict>;
  /**
   * Writes the conversation's state, then records the message's entry unless another delivery did first; the
   * delivery that records it also appends `log` to the conversation log.
   */
  commit(id: string, conversation: ConversationKey, state: ConversationState, entry: LedgerEntry, log: LogEntry): Promise<Claim>;
  /** Records the message's entry (and appends `log`) unless another delivery of the id did first. */
  claim(id: string, entry: LedgerEntry, log: LogEntry): Promise<Claim>;
  /** Writes the conversation's state (before the message is acknowledged, when it must not be lost). */
  saveState(conversation: ConversationKey, state: ConversationState): Promise<void>;
}
