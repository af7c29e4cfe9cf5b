// Failed credential attempts per client address — console logins and bearer tokens alike — counted in Redis so
// every gateway counts together: after MAX_FAILURES in WINDOW_S the address is refused (429 with Retry-After)
// until its window ends, even with the right credential, so guessing cannot go on behind the refusals. With
// Redis down each process counts in memory (rate-limiter-flexible's insurance limiter), so the limit still holds
// roughly. Only failures are written; a request with a credential costs one read while the address is clean.
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

export const MAX_FAILURES = 10;
export const WINDOW_S = 5 * 60;

export class AuthThrottle {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: Redis, prefix: string, opts: { maxFailures?: number; windowSeconds?: number } = {}) {
    const points = opts.maxFailures ?? MAX_FAILURES;
    const duration = opts.windowSeconds ?? WINDOW_S;
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:auth-failures`,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
  }

  /** Milliseconds until `ip` may try again, or 0 when it may try now. */
  async blockedFor(ip: string): Promise<number> {
    const res = await this.limiter.get(ip).catch(() => null);
    return res && res.consumedPoints >= this.limiter.points ? Math.max(1000, res.msBeforeNext) : 0;
  }

  /** Counts a failed attempt (the next attempt after the last allowed one is refused). */
  async failed(ip: string): Promise<void> {
    await this.limiter.penalty(ip, 1).catch(() => null);
  }

  /** A successful login clears the address's failures (a bearer success does not write, to keep requests cheap). */
  async succeeded(ip: string): Promise<void> {
    await this.limiter.delete(ip).catch(() => false);
  }
}

/** Seconds for a Retry-After header. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
