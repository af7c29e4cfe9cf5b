// Weibo lets the account message a user only within 48 hours of that user's last message to it. The push
// route records each citizen message; send() checks before calling messages/reply.json, so a reply that can
// no longer be delivered fails at once (not retried) instead of burning attempts on the platform's refusal.
import type { Redis } from 'ioredis';

export const DM_WINDOW_MS = 48 * 3600_000;

export class DmWindow {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(uid: string): string {
    return `${this.prefix}:weibo:dm-last:${uid}`;
  }

  async touch(uid: string, at: Date): Promise<void> {
    const ms = at.getTime();
    // Keep the latest time only: a retried old push must not shorten the window.
    await this.redis.eval(
      `local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
       if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
       return 1`,
      1,
      this.key(uid),
      String(ms),
      String(DM_WINDOW_MS + 3600_000),
    );
  }

  /** The citizen's last message time; undefined when none is known (or Redis cannot say). */
  async last(uid: string): Promise<Date | 'unknown' | undefined> {
    try {
      const v = await this.redis.get(this.key(uid));
      return v ? new Date(Number(v)) : undefined;
    } catch {
      return 'unknown';
    }
  }
}
