// Step 2 of the pipeline: what the conversation remembers between messages (its language, what was last
// answered). In Redis with an idle expiry, so any gateway instance can continue any conversation.
import type { Redis } from 'ioredis';
import type { ConversationState } from './dialogue/conversation.js';

export type { ConversationState };

export class ConversationStore {
  constructor(private readonly redis: Redis, private readonly prefix: string, readonly ttlSeconds = 30 * 60) {}

  /** The Redis key of a conversation's state (IntakeStore reads and writes it together with the ledger). */
  key(channel: string, conversationId: string) {
    return `${this.prefix}:conv:${channel}:${conversationId}`;
  }

  static parse(raw: string | null): ConversationState {
    return raw ? (JSON.parse(raw) as ConversationState) : { turns: 0 };
  }

  async get(channel: string, conversationId: string): Promise<ConversationState> {
    return ConversationStore.parse(await this.redis.get(this.key(channel, conversationId)));
  }

  async clear(channel: string, conversationId: string): Promise<void> {
    await this.redis.del(this.key(channel, conversationId));
  }

  async set(channel: string, conversationId: string, state: ConversationState): Promise<void> {
    await this.redis.set(this.key(channel, conversationId), JSON.stringify(state), 'EX', this.ttlSeconds);
  }
}
