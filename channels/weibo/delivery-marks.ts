// Which parts of a reply are already posted. The outbound worker retries a job whose worker died after
// posting but before finishing; without this mark the citizen would see the comment twice.
import type { Redis } from 'ioredis';

const TTL_S = 3 * 24 * 3600;

export class DeliveryMarks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(replyId: string): string {
    return `${this.prefix}:weibo:sent:${replyId}`;
  }

  /** How many parts of this reply were posted; 0 when unknown (Redis down: better twice than never). */
  async partsSent(replyId: string): Promise<number> {
    try {
      return Number((await this.redis.get(this.key(replyId))) ?? 0);
    } catch {
      return 0;
    }
  }

  async markSent(replyId: string, parts: number): Promise<void> {
    await this.redis.set(this.key(replyId), String(parts), 'EX', TTL_S).catch(() => {});
  }
}
