// Flood control on Redis, so every gateway instance counts together. One sender (or one IP for the public web
// chat API) over its budget is told to slow down; nobody else notices. When Redis is down each process falls
// back to counting in memory, so the limit still holds roughly.
//
// The Redis side is rate-limiter-flexible's RateLimiterRedis, unchanged in substance: the same fixed window
// (a counter created at 0 with the window as expiry, incremented once per message), the same keys
// (`<keyPrefix>:<key>`) and the same verdict (over once the count exceeds the points; retry when the window
// ends). It is written out here so that the intake can run it inside its first Redis command for a message
// (IntakeStore.begin) instead of as a command of its own; check() runs it alone. The in-memory fallback is
// rate-limiter-flexible's RateLimiterMemory, as before.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

export interface LimitVerdict {
  ok: boolean;
  /** When not ok: how long until the next message would be accepted. */
  retryAfterMs: number;
}

const OK: LimitVerdict = { ok: true, retryAfterMs: 0 };

/**
 * Lua: RateLimiterRedis's increment script for one point, as a function of (key, window seconds) returning
 * {count in the window, milliseconds until the window ends}. Shared by check() and IntakeStore.begin.
 */
export const CONSUME_LUA = `
local function consume(key, window)
  redis.call('SET', key, 0, 'EX', window, 'NX')
  local consumed = redis.call('INCRBY', key, 1)
  local ttl = redis.call('PTTL', key)
  if ttl == -1 then
    redis.call('EXPIRE', key, window)
    ttl = 1000 * window
  end
  return {consumed, ttl}
end`;

const CHECK = `${CONSUME_LUA}
return consume(KEYS[1], ARGV[1])`;

type WithCheck = Redis & { jiesuFloodCheck(key: string, window: number): Promise<[number, number]> };

export class FloodLimiter {
  private readonly redis: WithCheck;
  private readonly memory: RateLimiterMemory;
  readonly windowSeconds = 60;

  constructor(redis: Redis, readonly keyPrefix: string, readonly points: number) {
    if (!('jiesuFloodCheck' in redis)) redis.defineCommand('jiesuFloodCheck', { numberOfKeys: 1, lua: CHECK });
    this.redis = redis as WithCheck;
    this.memory = new RateLimiterMemory({ keyPrefix: `${keyPrefix}:mem`, points, duration: this.windowSeconds });
  }

  /** The Redis key counting `key`'s messages (RateLimiterRedis's key for it). */
  key(key: string): string {
    return `${this.keyPrefix}:${key}`;
  }

  /** The verdict on a window that has counted `consumed` messages, this one included, and ends in `ttlMs`. */
  verdict(consumed: number, ttlMs: number): LimitVerdict {
    return consumed > this.points ? { ok: false, retryAfterMs: Math.max(1000, ttlMs) } : OK;
  }

  /** Counts one message of `key` in Redis (in memory when Redis does not answer). */
  async check(key: string): Promise<LimitVerdict> {
    // Not connected: straight to memory, as RateLimiterRedis's rejectIfRedisNotReady did.
    if (this.redis.status !== 'ready') return this.fallback(key);
    let counted: [number, number];
    try {
      counted = await this.redis.jiesuFloodCheck(this.key(key), this.windowSeconds);
    } catch {
      return this.fallback(key);
    }
    return this.verdict(counted[0], counted[1]);
  }

  /** Counts one message of `key` in this process's memory: for when Redis could not count it. */
  async fallback(key: string): Promise<LimitVerdict> {
    try {
      await this.memory.consume(key, 1);
      return OK;
    } catch (res) {
      if (res instanceof RateLimiterRes) return { ok: false, retryAfterMs: Math.max(1000, res.msBeforeNext) };
      // Neither store answered: let the message through rather than refuse a citizen.
      return OK;
    }
  }
}
