// Port: what a conversation remembers between messages (its language, a half-collected complaint, a handoff),
// for the parts outside the intake that read or change it (the expiry worker, the handoff desk's actions).
// Implemented on Redis with an idle expiry (src/queue/intake-memory.ts), so any gateway instance can continue
// any conversation.
import type { ConversationState } from './dialogue/conversation.js';

export type { ConversationState };

export interface ConversationStore {
  get(channel: string, conversationId: string): Promise<ConversationState>;
  set(channel: string, conversationId: string, state: ConversationState): Promise<void>;
}
