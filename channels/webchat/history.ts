// The web chat conversation as the citizen sees it, kept in Redis so a reloaded page (or another gateway
// instance) shows the same thing. Each item has an id; appending an id twice is a no-op, so a delivery that is
// retried after a partial failure shows once.
import type { Redis } from 'ioredis';
import type { QuickReply, ReplyKind } from '../../src/core/envelope.js';

export interface HistoryItem {
  id: string;
  from: 'citizen' | 'bot' | 'agent';
  text: string;
  kind?: ReplyKind;
  quickReplies?: QuickReply[];
  ticketNumber?: string;
  at: string;
}

const MAX_ITEMS = 200;
const TTL_SECONDS = 14 * 24 * 3600;

// Atomic "add if the id is new": SADD decides, then the item is pushed and both keys get their expiry.
const APPEND = `
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('LTRIM', KEYS[1], -${MAX_ITEMS}, -1)
redis.call('EXPIRE', KEYS[1], ${TTL_SECONDS})
redis.call('EXPIRE', KEYS[2], ${TTL_SECONDS})
return 1`;

type WithAppend = Redis & { jiesuHistoryAppend(list: string, ids: string, id: string, item: string): Promise<number> };

export class WebchatHistory {
  private readonly redis: WithAppend;

  constructor(redis: Redis, private readonly prefix: string) {
    // A defined command is sent as EVALSHA: the script text crosses the wire once, not with every message.
    if (!('jiesuHistoryAppend' in redis)) redis.defineCommand('jiesuHistoryAppend', { numberOfKeys: 2, lua: APPEND });
    this.redis = redis as WithAppend;
  }

  private keys(sessionId: string): [string, string] {
    return [`${this.prefix}:webchat:history:${sessionId}`, `${this.prefix}:webchat:ids:${sessionId}`];
  }

  /** Returns true when the item was new. */
  async append(sessionId: string, item: HistoryItem): Promise<boolean> {
    const [list, ids] = this.keys(sessionId);
    const added = await this.redis.jiesuHistoryAppend(list, ids, item.id, JSON.stringify(item));
    return added === 1;
  }

  /** Oldest first, ordered by time (a worker's reply can be stored before the request that caused it). */
  async read(sessionId: string): Promise<HistoryItem[]> {
    const raw = await this.redis.lrange(this.keys(sessionId)[0], 0, -1);
    return raw.map((r) => JSON.parse(r) as HistoryItem).sort((a, b) => a.at.localeCompare(b.at));
  }
}
