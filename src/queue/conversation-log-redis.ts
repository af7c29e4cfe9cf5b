// The conversation log (src/core/conversation-log.ts) in Redis: per conversation a list of JSON turns and the
// set of their ids, appended by the same Lua as the web chat transcript (an id already there is skipped), trimmed
// to the newest MAX_TURNS and expiring TTL_DAYS after the last append.
//
//   <prefix>:convlog:<channel>:<conversationId>        list of JSON ConversationTurn
//   <prefix>:convlog-ids:<channel>:<conversationId>    set of their ids
import type { Redis } from 'ioredis';
import { APPEND_NEW_LUA } from './append-new-lua.js';
import type { ConversationKey, ConversationLog, ConversationTurn } from '../core/conversation-log.js';

/** Enough for a long complaint dialogue and the handoff after it; a ticket's page shows what is left of it. */
export const MAX_TURNS = 300;
/** Long enough for a ticket's whole time limit (15 days) and its return visit. */
export const TTL_DAYS = 30;

const APPEND = `${APPEND_NEW_LUA}
return append_new(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV, 3)`;

interface Commands {
  jiesuConvlogAppend(list: string, ids: string, maxItems: number, ttl: number, ...idsAndItems: string[]): Promise<number>;
}

export class RedisConversationLog implements ConversationLog {
  private readonly redis: Redis & Commands;

  constructor(redis: Redis, private readonly prefix: string, private readonly opts: { maxTurns?: number; ttlSeconds?: number } = {}) {
    redis.defineCommand('jiesuConvlogAppend', { numberOfKeys: 2, lua: APPEND });
    this.redis = redis as Redis & Commands;
  }

  private keys(c: ConversationKey): [string, string] {
    const k = `${c.channel}:${c.conversationId}`;
    return [`${this.prefix}:convlog:${k}`, `${this.prefix}:convlog-ids:${k}`];
  }

  async append(c: ConversationKey, turns: ConversationTurn[]): Promise<void> {
    if (!turns.length) return;
    const [list, ids] = this.keys(c);
    const argv = turns.flatMap((t) => [t.id, JSON.stringify(t)]);
    await this.redis.jiesuConvlogAppend(list, ids, this.opts.maxTurns ?? MAX_TURNS, this.opts.ttlSeconds ?? TTL_DAYS * 86_400, ...argv);
  }

  async read(c: ConversationKey): Promise<ConversationTurn[]> {
    const items = await this.redis.lrange(this.keys(c)[0], 0, -1);
    return items.map((s) => JSON.parse(s) as ConversationTurn);
  }

  /** Forgets a conversation (the demo replaces its own). */
  async clear(c: ConversationKey): Promise<void> {
    await this.redis.del(...this.keys(c));
  }
}
