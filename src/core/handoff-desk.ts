// Port: conversations a person has taken over ("转人工", or the bot failing repeatedly). Operators see the
// waiting ones with their messages in the console and reply into the citizen's channel; the bot stays quiet
// meanwhile. Implemented on Redis (src/queue/handoff-desk.ts).
import type { Address, InboundMessage } from './envelope.js';
import type { Lang } from '../nlu/decision.js';

export interface HandoffEntry {
  address: Address;
  lang: Lang;
  since: string;
  messages: { from: 'citizen' | 'agent'; text: string; at: string }[];
}

export interface HandoffDesk {
  /** Puts the conversation on the desk, with the message that asked for a person. */
  open(address: Address, lang: Lang, since: Date, first?: InboundMessage): Promise<void>;
  record(address: Address, from: 'citizen' | 'agent', text: string, at: Date): Promise<void>;
  get(address: { channel: string; conversationId: string }): Promise<HandoffEntry | undefined>;
  /** Waiting conversations, oldest first. */
  list(limit?: number): Promise<HandoffEntry[]>;
  close(address: { channel: string; conversationId: string }): Promise<void>;
}
