// Remembers the numbered options last shown to a follower, so that "2" typed back means the second button
// (a return-visit rating, a "did you mean" question). Kept in Redis for three days, the time a return visit
// may wait for its answer. Best effort: when Redis is unavailable the digit simply arrives as text.
import type { Redis } from 'ioredis';
import type { QuickReply } from '../../src/core/envelope.js';
import { withTimeout } from '../../src/core/with-timeout.js';

const TTL_SECONDS = 3 * 24 * 3600;
const TIMEOUT_MS = 250;

export class QuickReplyOffers {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(openId: string): string {
    return `${this.prefix}:wechat:offers:${openId}`;
  }

  async remember(openId: string, options: QuickReply[]): Promise<void> {
    await withTimeout(this.redis.set(this.key(openId), JSON.stringify(options), 'EX', TTL_SECONDS), TIMEOUT_MS, 'offers set');
  }

  /** The option a reply like "2" or "２" picks, if the follower was shown that many options. */
  async pick(openId: string, text: string): Promise<QuickReply | undefined> {
    if (!/^\d{1,2}$/.test(text)) return undefined;
    try {
      const raw = await withTimeout(this.redis.get(this.key(openId)), TIMEOUT_MS, 'offers get');
      if (!raw) return undefined;
      const options = JSON.parse(raw) as QuickReply[];
      return options[Number(text) - 1];
    } catch {
      return undefined;
    }
  }
}
