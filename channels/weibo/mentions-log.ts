// Every mention the poller saw, for the social-media team's console: who wrote what, where, and what the
// gateway did about it (answered, asked for details, ignored and why), and when the first public reply went
// out. In Redis, next to the cursors: one hash per mention (30 days), a time index, the set of mentions still
// waiting for a first reply, and a version counter the console polls to know when to refresh. Writes come
// from the poller and from send() in any outbound worker, so each field is written on its own (no
// read-modify-write of a whole record) and the first reply time is set once (HSETNX).
import type { Redis } from 'ioredis';
import type { InboundMessage } from '../../src/core/envelope.js';
import { serializeMessage, deserializeMessage, type SerializedMessage } from '../../src/core/serialize.js';
import type { Mention, MentionKind } from './normalize.js';

export const MENTION_TTL_S = 30 * 24 * 3600;

/** pending: seen, not yet through the intake; answered: FAQ or chitchat; asked: complaint acknowledged (a ticket follows). */
export type MentionAction = 'pending' | 'answered' | 'asked' | 'ignored' | 'failed';

export interface MentionReply {
  text: string;
  at: number;
  by: 'auto' | 'manual';
  /** Set when the reply could not be posted. */
  error?: string;
}

export interface MentionEntry {
  id: string;
  kind: MentionKind;
  platformId: string;
  conversationId: string;
  author: { id: string; name?: string };
  text: string;
  link: string;
  createdAt: number;
  polledAt: number;
  action: MentionAction;
  /** IgnoreReason, 'manual' or 'backfill' when ignored. */
  reason?: string;
  replyKind?: string;
  faqId?: string;
  handledAt?: number;
  firstReplyAt?: number;
  lastError?: string;
  replies: MentionReply[];
  message?: InboundMessage;
}

export interface MentionsSummary {
  version: number;
  total: number;
  waiting: number;
  oldestWaitingAt?: number;
}

export class MentionsLog {
  private readonly base: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.base = `${prefix}:weibo:mentions`;
  }

  private key(id: string): string {
    return `${this.base}:m:${id}`;
  }
  private repliesKey(id: string): string {
    return `${this.base}:r:${id}`;
  }
  private get indexKey(): string {
    return `${this.base}:all`;
  }
  private get waitingKey(): string {
    return `${this.base}:waiting`;
  }
  private get versionKey(): string {
    return `${this.base}:version`;
  }

  /**
   * Records a mention the first time it is seen; later sightings (overlapping polls) change nothing.
   * Returns whether it was already handed to the intake, so the poller can skip it.
   */
  async record(m: Mention, now: Date): Promise<{ handled: boolean }> {
    const id = m.message.id;
    const key = this.key(id);
    const created = await this.redis.hsetnx(key, 'id', id);
    // A record cut short by a crash (id written, fields not) is completed below like a new one.
    if (!created && (await this.redis.hexists(key, 'kind'))) return { handled: (await this.redis.hexists(key, 'handledAt')) === 1 };
    const fields: Record<string, string> = {
      kind: m.kind,
      platformId: m.platformId,
      conversationId: m.message.conversationId,
      authorId: m.author.id,
      authorName: m.author.name ?? '',
      text: m.rawText,
      link: m.link,
      createdAt: String(m.createdAt.getTime()),
      polledAt: String(now.getTime()),
      action: 'pending',
      message: JSON.stringify(serializeMessage(m.message)),
    };
    const cutoff = now.getTime() - MENTION_TTL_S * 1000;
    await this.redis
      .multi()
      .hset(key, fields)
      .expire(key, MENTION_TTL_S)
      .zadd(this.indexKey, m.createdAt.getTime(), id)
      .zadd(this.waitingKey, m.createdAt.getTime(), id)
      .zremrangebyscore(this.indexKey, '-inf', cutoff)
      .zremrangebyscore(this.waitingKey, '-inf', cutoff)
      .incr(this.versionKey)
      .exec();
    return { handled: false };
  }

  /** The intake took it: what it did. The mention stays waiting until its first reply is posted. */
  async markHandled(id: string, outcome: { action: 'answered' | 'asked'; replyKind?: string; faqId?: string }, now: Date): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(id), { action: outcome.action, replyKind: outcome.replyKind ?? '', faqId: outcome.faqId ?? '', handledAt: String(now.getTime()) })
      .hdel(this.key(id), 'lastError')
      .incr(this.versionKey)
      .exec();
  }

  async markIgnored(id: string, reason: string, now: Date): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(id), { action: 'ignored', reason, handledAt: String(now.getTime()) })
      .zrem(this.waitingKey, id)
      .incr(this.versionKey)
      .exec();
  }

  /** The intake could not take it (the poller retries); shown to staff until it goes through. */
  async markFailed(id: string, error: string): Promise<void> {
    await this.redis.multi().hset(this.key(id), { lastError: error.slice(0, 300) }).incr(this.versionKey).exec();
  }

  /** A reply was posted (or finally refused). The first one ends the wait. */
  async addReply(id: string, reply: MentionReply): Promise<void> {
    const key = this.key(id);
    if (!(await this.redis.exists(key))) return;
    const m = this.redis.multi().rpush(this.repliesKey(id), JSON.stringify(reply)).expire(this.repliesKey(id), MENTION_TTL_S);
    if (!reply.error) m.hsetnx(key, 'firstReplyAt', String(reply.at)).hdel(key, 'lastError').zrem(this.waitingKey, id);
    else m.hset(key, { lastError: reply.error.slice(0, 300) });
    await m.incr(this.versionKey).exec();
  }

  /** A reply attempt failed (it will be retried): shown next to the mention while it waits. */
  async noteSendError(id: string, error: string): Promise<void> {
    const key = this.key(id);
    if (!(await this.redis.exists(key))) return;
    await this.redis.multi().hset(key, { lastError: error.slice(0, 300) }).incr(this.versionKey).exec();
  }

  async get(id: string): Promise<MentionEntry | undefined> {
    const [entry] = await this.load([id]);
    return entry;
  }

  /** Newest first, between `from` and `to` (ms), at most `limit`. */
  async list(opts: { from?: number; to?: number; limit: number; waitingOnly?: boolean }): Promise<MentionEntry[]> {
    const ids = await this.redis.zrevrangebyscore(
      opts.waitingOnly ? this.waitingKey : this.indexKey,
      opts.to ?? '+inf',
      opts.from ?? '-inf',
      'LIMIT',
      0,
      opts.limit,
    );
    return this.load(ids);
  }

  async summary(): Promise<MentionsSummary> {
    const [version, total, waiting, oldest] = await Promise.all([
      this.redis.get(this.versionKey),
      this.redis.zcard(this.indexKey),
      this.redis.zcard(this.waitingKey),
      this.redis.zrange(this.waitingKey, '0', '0', 'WITHSCORES'),
    ]);
    return { version: Number(version ?? 0), total, waiting, ...(oldest.length === 2 ? { oldestWaitingAt: Number(oldest[1]) } : {}) };
  }

  private async load(ids: string[]): Promise<MentionEntry[]> {
    if (!ids.length) return [];
    const p = this.redis.pipeline();
    for (const id of ids) p.hgetall(this.key(id)).lrange(this.repliesKey(id), 0, 49);
    const res = (await p.exec()) ?? [];
    const out: MentionEntry[] = [];
    for (let i = 0; i < ids.length; i++) {
      const h = res[2 * i]?.[1] as Record<string, string> | undefined;
      const replies = ((res[2 * i + 1]?.[1] as string[] | undefined) ?? []).map((r) => JSON.parse(r) as MentionReply);
      if (!h || !h.id) continue;
      out.push(toEntry(h, replies));
    }
    return out;
  }
}

function num(v: string | undefined): number | undefined {
  return v ? Number(v) : undefined;
}

function toEntry(h: Record<string, string>, replies: MentionReply[]): MentionEntry {
  let message: InboundMessage | undefined;
  try {
    message = h.message ? deserializeMessage(JSON.parse(h.message) as SerializedMessage) : undefined;
  } catch {
    message = undefined;
  }
  return {
    id: h.id,
    kind: h.kind as MentionKind,
    platformId: h.platformId,
    conversationId: h.conversationId,
    author: { id: h.authorId, ...(h.authorName ? { name: h.authorName } : {}) },
    text: h.text ?? '',
    link: h.link ?? '',
    createdAt: Number(h.createdAt),
    polledAt: Number(h.polledAt),
    action: (h.action as MentionAction) ?? 'pending',
    ...(h.reason ? { reason: h.reason } : {}),
    ...(h.replyKind ? { replyKind: h.replyKind } : {}),
    ...(h.faqId ? { faqId: h.faqId } : {}),
    ...(h.handledAt ? { handledAt: num(h.handledAt) } : {}),
    ...(h.firstReplyAt ? { firstReplyAt: num(h.firstReplyAt) } : {}),
    ...(h.lastError ? { lastError: h.lastError } : {}),
    replies,
    ...(message ? { message } : {}),
  };
}
