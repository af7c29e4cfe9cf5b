// FAQ answer counts and ratings (src/core/faq-stats.ts) on Redis, in sorted sets. Hits and ratings are added up
// in memory and written once a second, one ZINCRBY per entry since the last write, so an answer never waits on
// Redis; a failed write drops its counts; stopping the process writes what is left (flush). The top list is
// cached for a minute. The question behind each 没解决 is kept (masked) for the console's review queue.
import type { Redis } from 'ioredis';
import type { FaqStats } from '../core/faq-stats.js';
import { maskPersonalData } from '../core/mask.js';

/** Questions rated 没解决 kept for review. */
const UNSOLVED_KEEP = 1000;

export interface FaqRates {
  given: number;
  helpful: number;
  unsolved: number;
}

export interface UnsolvedQuestion {
  text: string;
  faqId: string;
  at: string;
}

export class RedisFaqStats implements FaqStats {
  private cache: { at: number; ids: string[] } = { at: 0, ids: [] };
  private pending = new Map<string, number>();
  private ratings = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly ttlMs = 60_000, private readonly flushMs = 1000) {}

  private get key() {
    return `${this.prefix}:faq:hits`;
  }

  hit(faqId: string): void {
    this.pending.set(faqId, (this.pending.get(faqId) ?? 0) + 1);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** A citizen rated an answer; the question of a 没解决 is kept for review. */
  rate(faqId: string, helpful: boolean, question?: string): void {
    const key = `${helpful ? 'helpful' : 'unsolved'}\u0000${faqId}`;
    this.ratings.set(key, (this.ratings.get(key) ?? 0) + 1);
    if (!helpful && question) {
      const item: UnsolvedQuestion = { text: maskPersonalData(question).slice(0, 500), faqId, at: new Date().toISOString() };
      const list = this.unsolvedKey;
      // Best effort, like the counts (see the header): the rating itself is answered either way.
      this.redis.multi().lpush(list, JSON.stringify(item)).ltrim(list, 0, UNSOLVED_KEEP - 1).exec().catch(() => {});
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  private get unsolvedKey() {
    return `${this.prefix}:faq:unsolved-questions`;
  }

  private ratingKey(kind: 'helpful' | 'unsolved') {
    return `${this.prefix}:faq:${kind}`;
  }

  /** Writes the counted hits and ratings now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.size && !this.ratings.size) return;
    const counts = this.pending;
    const ratings = this.ratings;
    this.pending = new Map();
    this.ratings = new Map();
    // A failed write drops its counts (see the header); a Redis outage is logged by the connection's watcher.
    await Promise.all([
      ...[...counts].map(([id, n]) => this.redis.zincrby(this.key, n, id).catch(() => {})),
      ...[...ratings].map(([key, n]) => {
        const [kind, id] = key.split('\u0000') as ['helpful' | 'unsolved', string];
        return this.redis.zincrby(this.ratingKey(kind), n, id).catch(() => {});
      }),
    ]);
  }

  /** How often each entry was given and rated, by entry id. */
  async rates(): Promise<Map<string, FaqRates>> {
    const [given, helpful, unsolved] = await Promise.all(
      [this.key, this.ratingKey('helpful'), this.ratingKey('unsolved')].map((k) => this.redis.zrange(k, '0', '-1', 'WITHSCORES')),
    );
    const out = new Map<string, FaqRates>();
    const add = (pairs: string[], field: keyof FaqRates) => {
      for (let i = 0; i < pairs.length; i += 2) {
        const r = out.get(pairs[i]) ?? { given: 0, helpful: 0, unsolved: 0 };
        r[field] = Number(pairs[i + 1]);
        out.set(pairs[i], r);
      }
    };
    add(given, 'given');
    add(helpful, 'helpful');
    add(unsolved, 'unsolved');
    return out;
  }

  /** Questions rated 没解决, newest first. */
  async unsolvedQuestions(limit = 200): Promise<UnsolvedQuestion[]> {
    const raw = await this.redis.lrange(this.unsolvedKey, 0, limit - 1);
    return raw.flatMap((s) => {
      try {
        return [JSON.parse(s) as UnsolvedQuestion];
      } catch {
        return [];
      }
    });
  }

  /** Ids of the most answered entries, best first; refreshed in the background. */
  top(n: number): string[] {
    if (Date.now() - this.cache.at > this.ttlMs) {
      this.cache.at = Date.now();
      this.redis
        .zrevrange(this.key, 0, 9)
        .then((ids) => (this.cache = { at: Date.now(), ids }))
        // Unread (Redis away), the cached list serves until the next try.
        .catch(() => {});
    }
    return this.cache.ids.slice(0, n);
  }
}
