// How often each FAQ entry is answered, for the menu's "most asked questions". Counting is best effort (a
// Redis hiccup must not slow an answer); the top list is cached for a minute.
import type { Redis } from 'ioredis';

export class FaqStats {
  private cache: { at: number; ids: string[] } = { at: 0, ids: [] };

  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly ttlMs = 60_000) {}

  private get key() {
    return `${this.prefix}:faq:hits`;
  }

  hit(faqId: string): void {
    this.redis.zincrby(this.key, 1, faqId).catch(() => {});
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
