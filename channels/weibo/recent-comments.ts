// Texts the account posted lately, so a new comment can be varied before Weibo refuses it as a repeat
// (20019). Each posted text is claimed for the window Weibo is known to enforce; claiming is atomic
// (SET NX), so two workers answering a burst never pick the same variant.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export const REPEAT_WINDOW_MS = 15 * 60_000;

export class RecentComments {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(text: string): string {
    return `${this.prefix}:weibo:posted:${createHash('sha1').update(text).digest('hex')}`;
  }

  /** True when `text` was not posted within the window, and is now reserved; true as well when Redis is down. */
  async claim(text: string): Promise<boolean> {
    try {
      return (await this.redis.set(this.key(text), '1', 'PX', REPEAT_WINDOW_MS, 'NX')) === 'OK';
    } catch {
      return true;
    }
  }

  /** The text is known to be taken (Weibo refused it): keep it reserved. */
  async mark(text: string): Promise<void> {
    // Best effort: unrecorded (Redis away), Weibo refuses the repeat again and the variant after it is tried.
    await this.redis.set(this.key(text), '1', 'PX', REPEAT_WINDOW_MS).catch(() => {});
  }
}
