// Flood control (rate-limiter-flexible on Redis, so every gateway instance counts together). One sender (or
// one IP for the public web chat API) over its budget is told to slow down; nobody else notices. When Redis
// is down each process falls back to counting in memory, so the limit still holds roughly.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

export interface LimitVerdict {
  ok: boolean;
  /** When not ok: how long until the next message would be accepted. */
  retryAfterMs: number;
}

export class FloodLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: Redis, keyPrefix: string, perMinute: number) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix,
      points: perMinute,
      duration: 60,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${keyPrefix}:mem`, points: perMinute, duration: 60 }),
    });
  }

  async check(key: string): Promise<LimitVerdict> {
    try {
      await this.limiter.consume(key, 1);
      return { ok: true, retryAfterMs: 0 };
    } catch (res) {
      if (res instanceof RateLimiterRes) return { ok: false, retryAfterMs: Math.max(1000, res.msBeforeNext) };
      // Neither store answered: let the message through rather than refuse a citizen.
      return { ok: true, retryAfterMs: 0 };
    }
  }
}
