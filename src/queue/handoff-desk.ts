// The handoff desk (src/core/handoff-desk.ts) on Redis: an index of waiting conversations by when they were
// handed over, each with its entry and its last messages, all expiring a week after the last change.
import type { Redis } from 'ioredis';
import type { Address, InboundMessage } from '../core/envelope.js';
import type { HandoffDesk, HandoffEntry } from '../core/handoff-desk.js';
import type { Lang } from '../nlu/decision.js';

const MAX_MESSAGES = 100;
const TTL_SECONDS = 7 * 24 * 3600;

export class RedisHandoffDesk implements HandoffDesk {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private get index() {
    return `${this.prefix}:handoff:index`;
  }
  private key(a: { channel: string; conversationId: string }) {
    return `${a.channel}:${a.conversationId}`;
  }
  private entryKey(k: string) {
    return `${this.prefix}:handoff:entry:${k}`;
  }
  private msgsKey(k: string) {
    return `${this.prefix}:handoff:msgs:${k}`;
  }

  async open(address: Address, lang: Lang, since: Date, first?: InboundMessage): Promise<void> {
    const k = this.key(address);
    const m = this.redis.multi();
    m.zadd(this.index, since.getTime(), k);
    m.set(this.entryKey(k), JSON.stringify({ address, lang, since: since.toISOString() }), 'EX', TTL_SECONDS);
    if (first) m.rpush(this.msgsKey(k), JSON.stringify({ from: 'citizen', text: first.text, at: first.receivedAt.toISOString() }));
    m.expire(this.msgsKey(k), TTL_SECONDS);
    await m.exec();
  }

  async record(address: Address, from: 'citizen' | 'agent', text: string, at: Date): Promise<void> {
    const k = this.key(address);
    const m = this.redis.multi();
    m.rpush(this.msgsKey(k), JSON.stringify({ from, text, at: at.toISOString() }));
    m.ltrim(this.msgsKey(k), -MAX_MESSAGES, -1);
    m.expire(this.msgsKey(k), TTL_SECONDS);
    await m.exec();
  }

  async get(address: { channel: string; conversationId: string }): Promise<HandoffEntry | undefined> {
    const k = this.key(address);
    const [raw, msgs] = await Promise.all([this.redis.get(this.entryKey(k)), this.redis.lrange(this.msgsKey(k), 0, -1)]);
    if (!raw) return undefined;
    return { ...(JSON.parse(raw) as Omit<HandoffEntry, 'messages'>), messages: msgs.map((m) => JSON.parse(m)) };
  }

  /** Waiting conversations, oldest first. */
  async list(limit = 100): Promise<HandoffEntry[]> {
    const keys = await this.redis.zrange(this.index, "0", String(limit - 1));
    const entries: HandoffEntry[] = [];
    for (const k of keys) {
      const [channel, ...rest] = k.split(':');
      const e = await this.get({ channel, conversationId: rest.join(':') });
      if (e) entries.push(e);
      else await this.redis.zrem(this.index, k);
    }
    return entries;
  }

  async close(address: { channel: string; conversationId: string }): Promise<void> {
    const k = this.key(address);
    await this.redis.multi().zrem(this.index, k).del(this.entryKey(k)).del(this.msgsKey(k)).exec();
  }
}
