// Flood control on Redis, so every gateway instance counts together. One sender (or one client address on a
// public API) over its budget is told to slow down; nobody else notices. When Redis is down each process counts
// in memory (rate-limiter-flexible's RateLimiterMemory), so the limit still holds roughly.
//
// The Redis side is a fixed window: a counter created at 0 with the window as its expiry and incremented once
// per message; over once the count exceeds the points, retry when the window ends. Its Lua is a function so that
// the intake's first command for a message (intake-memory.ts) counts both limits in the same round trip; a
// limit checked alone (check) runs the same function.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { LimitVerdict } from '../core/intake-memory.js';

const OK: LimitVerdict = { ok: true, retryAfterMs: 0 };
const WINDOW_SECONDS = 60;

/** Lua: consume(key, window seconds) counts one message and returns {count in the window, ms until it ends}. */
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

/** A budget of `points` messages per minute per key, counted under `<keyPrefix>:<key>`. */
export class FloodLimit {
  private readonly redis: WithCheck;
  private readonly memory: RateLimiterMemory;
  readonly windowSeconds = WINDOW_SECONDS;

  constructor(redis: Redis, readonly keyPrefix: string, readonly points: number) {
    if (!('jiesuFloodCheck' in redis)) redis.defineCommand('jiesuFloodCheck', { numberOfKeys: 1, lua: CHECK });
    this.redis = redis as WithCheck;
    this.memory = new RateLimiterMemory({ keyPrefix: `${keyPrefix}:mem`, points, duration: this.windowSeconds });
  }

  /** The Redis key counting `key`'s messages. */
  key(key: string): string {
    return `${this.keyPrefix}:${key}`;
  }

  /** The verdict on a window that has counted `consumed` messages, this one included, and ends in `ttlMs`. */
  verdict(consumed: number, ttlMs: number): LimitVerdict {
    return consumed > this.points ? { ok: false, retryAfterMs: Math.max(1000, ttlMs) } : OK;
  }

  /** Counts one message of `key` in Redis (in memory when Redis does not answer). */
  async check(key: string): Promise<LimitVerdict> {
    // Not connected: straight to memory rather than wait for a connection.
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
