// Which parts of a reply already went out. A long reply is sent as several platform messages; when part 2
// fails (429, 500) or the worker dies after posting, the outbound job is retried, and none of these platforms
// takes an idempotency key. Keyed on the reply's stable id, this count lets the retry continue where it
// stopped instead of showing part 1 twice. Best effort: without Redis a retry may repeat a part, never lose one.
//
// One policy for every channel:
// - kept 7 days: a mark must outlive every retry of its job, and a dead-lettered reply may be retried by hand
//   from the console days later; a mark is a few bytes, so keeping it longer costs nothing that matters.
// - 500 ms per read or write: the shared client fails at once when Redis is down, so the deadline only
//   bounds a slow Redis; a slower answer counts as "nothing sent yet" (a possible repeat, never a loss).
import type { Redis } from 'ioredis';
import { withTimeout } from '../../src/core/with-timeout.js';

export const DELIVERED_PARTS_TTL_SECONDS = 7 * 24 * 3600;
export const DELIVERED_PARTS_TIMEOUT_MS = 500;

export class DeliveredParts {
  constructor(
    private readonly redis: () => Redis,
    private readonly prefix: string,
  ) {}

  /** How many parts of this reply went out; 0 when none or unknown. */
  async partsSent(channel: string, replyId: string): Promise<number> {
    try {
      const n = Number(await withTimeout(this.redis().get(this.key(channel, replyId)), DELIVERED_PARTS_TIMEOUT_MS, 'read delivered parts'));
      return Number.isSafeInteger(n) && n > 0 ? n : 0;
    } catch {
      return 0;
    }
  }

  async markSent(channel: string, replyId: string, parts: number): Promise<void> {
    try {
      await withTimeout(this.redis().set(this.key(channel, replyId), String(parts), 'EX', DELIVERED_PARTS_TTL_SECONDS), DELIVERED_PARTS_TIMEOUT_MS, 'write delivered parts');
    } catch {
      // Best effort (see above): the worst case is one part sent again on a retry.
    }
  }

  private key(channel: string, replyId: string): string {
    return `${this.prefix}:${channel}:sent:${replyId}`;
  }
}
