// FAQ answer counts (src/core/faq-stats.ts) on Redis, in one sorted set. Hits are added up in memory and written
// once a second, one ZINCRBY per entry answered since the last write, so an answer never waits on Redis; a
// failed write drops its counts; stopping the process writes what is left (flush). The top list is cached for a
// minute.
import type { Redis } from 'ioredis';
import type { FaqStats } from '../core/faq-stats.js';

export class RedisFaqStats implements FaqStats {
  private cache: { at: number; ids: string[] } = { at: 0, ids: [] };
  private pending = new Map<string, number>();
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

  /** Writes the counted hits now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.size) return;
    const counts = this.pending;
    this.pending = new Map();
    await Promise.all([...counts].map(([id, n]) => this.redis.zincrby(this.key, n, id).catch(() => {})));
  }

  /** Ids of the most answered entries, best first; refreshed in the background. */
  top(n: number): string[] {
    if (Date.now() - this.cache.at > this.ttlMs) {
      this.cache.at = Date.now();
      this.redis
        .zrevrange(this.key, 0, 9)
        .then((ids) => (this.cache = { at: Date.now(), ids }))
        .catch(() => {});
    }
    return this.cache.ids.slice(0, n);
  }
}
