// The web chat conversation as the citizen sees it, kept in Redis so a reloaded page (or another gateway
// instance) shows the same thing: a list of JSON items and the set of their ids. Appending an id already there is
// a no-op, so a delivery that is retried after a partial failure shows once; the list keeps its newest items and
// both keys expire some time after the last append.
import type { Redis } from 'ioredis';
import type { QuickReply, ReplyKind } from '../../src/core/envelope.js';
import { APPEND_NEW_LUA } from '../../src/queue/append-new-lua.js';

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

/** KEYS: list, ids. ARGV: max items, expiry, then id, item, id, item… */
const APPEND = `${APPEND_NEW_LUA}
return append_new(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV, 3)`;

/**
 * KEYS: list, ids. ARGV: max items, expiry, push channel, id, item. Appends (if new) and publishes the item in one
 * command, so no item is stored without its push. A retried delivery is published again (the widget may not
 * have been connected the first time); the widget drops ids it already shows.
 */
const DELIVER = `${APPEND_NEW_LUA}
local added = append_new(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV, 4)
redis.call('PUBLISH', ARGV[3], ARGV[5])
return added`;

/**
 * Every session has its own push channel, `<prefix>:webchat:push:<sessionId>`, and a gateway subscribes to it
 * only while it holds a socket of that session (socket-hub.ts): Redis routes each reply to the one instance
 * that can use it, instead of every instance receiving and reading every reply of the city.
 */
export function pushChannelPrefix(prefix: string): string {
  return `${prefix}:webchat:push:`;
}

interface HistoryCommands {
  jiesuHistoryAppend(list: string, ids: string, maxItems: number, ttl: number, ...idsAndItems: string[]): Promise<number>;
  jiesuHistoryDeliver(list: string, ids: string, maxItems: number, ttl: number, channel: string, id: string, item: string): Promise<number>;
}
type WithAppend = Redis & HistoryCommands;

/** An item for a session, to be stored and pushed to its open widgets (see WebchatHistory.deliverAll). */
export interface Delivery {
  sessionId: string;
  item: HistoryItem;
}

export class WebchatHistory {
  private readonly redis: WithAppend;

  private readonly pushPrefix: string;

  constructor(redis: Redis, private readonly prefix: string) {
    this.pushPrefix = pushChannelPrefix(prefix);
    // A defined command is sent as EVALSHA: the script text crosses the wire once, not with every message.
    if (!('jiesuHistoryAppend' in redis)) redis.defineCommand('jiesuHistoryAppend', { numberOfKeys: 2, lua: APPEND });
    if (!('jiesuHistoryDeliver' in redis)) redis.defineCommand('jiesuHistoryDeliver', { numberOfKeys: 2, lua: DELIVER });
    this.redis = redis as WithAppend;
  }

  private keys(sessionId: string): [string, string] {
    return [`${this.prefix}:webchat:history:${sessionId}`, `${this.prefix}:webchat:ids:${sessionId}`];
  }

  /** Appends the items whose ids are new, in order, in one round trip; returns how many were new. */
  async appendAll(sessionId: string, items: HistoryItem[]): Promise<number> {
    const [list, ids] = this.keys(sessionId);
    const idsAndItems: string[] = [];
    for (const item of items) idsAndItems.push(item.id, JSON.stringify(item));
    return this.redis.jiesuHistoryAppend(list, ids, MAX_ITEMS, TTL_SECONDS, ...idsAndItems);
  }

  /**
   * Stores each item and publishes it on its session's push channel, all in one round trip (a pipeline: one write
   * however many there are — the ticket worker delivers a batch's confirmations this way). Resolves, per
   * delivery, the error that stopped it, or undefined when it was stored (now or before) and published.
   */
  async deliverAll(deliveries: Delivery[]): Promise<(Error | undefined)[]> {
    if (!deliveries.length) return [];
    const pipeline = this.redis.pipeline() as unknown as HistoryCommands & { exec(): Promise<[Error | null, unknown][] | null> };
    for (const { sessionId, item } of deliveries) {
      const [list, ids] = this.keys(sessionId);
      pipeline.jiesuHistoryDeliver(list, ids, MAX_ITEMS, TTL_SECONDS, this.pushPrefix + sessionId, item.id, JSON.stringify(item));
    }
    const results = await pipeline.exec();
    if (!results) throw new Error('history delivery: the pipeline was discarded');
    return results.map(([err]) => err ?? undefined);
  }

  /** Oldest first, ordered by time (a worker's reply can be stored before the request that caused it). */
  async read(sessionId: string): Promise<HistoryItem[]> {
    const raw = await this.redis.lrange(this.keys(sessionId)[0], 0, -1);
    return raw.map((r) => JSON.parse(r) as HistoryItem).sort((a, b) => a.at.localeCompare(b.at));
  }
}
