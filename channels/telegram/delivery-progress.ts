// A long reply goes out as several messages. If part 2 fails (429, 500) the job is retried; this remembers
// how many parts of a reply already went out, so the retry continues where it stopped instead of showing
// part 1 twice. Best effort: without Redis a retry may repeat a part, never lose one.
import type { Redis } from 'ioredis';
import { withTimeout } from '../../src/core/with-timeout.js';

const TTL_SECONDS = 24 * 3600;

export class DeliveryProgress {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async partsSent(replyId: string): Promise<number> {
    try {
      return Number((await withTimeout(this.redis.get(this.key(replyId)), 250, 'read delivery progress')) ?? 0);
    } catch {
      return 0;
    }
  }

  async markSent(replyId: string, parts: number): Promise<void> {
    try {
      await withTimeout(this.redis.set(this.key(replyId), String(parts), 'EX', TTL_SECONDS), 250, 'write delivery progress');
    } catch {
      // Best effort (see above).
    }
  }

  private key(replyId: string): string {
    return `${this.prefix}:telegram:sent:${replyId}`;
  }
}
