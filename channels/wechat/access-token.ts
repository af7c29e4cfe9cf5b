// The access_token every WeChat API call needs. It lives 7200 s and each fetch from cgi-bin/token counts
// against a daily quota and retires the previous token after a few minutes, so it is fetched once, shared
// by every process through Redis (or kept in memory when Redis is unavailable), refreshed a few minutes
// before it expires, and dropped when the API calls it invalid (40001/40014) or expired (42001).
import type { Redis } from 'ioredis';
import { withTimeout } from '../../src/core/with-timeout.js';

export interface IssuedToken {
  token: string;
  /** Seconds, as cgi-bin/token returns it. */
  expiresIn: number;
}

interface CachedToken {
  token: string;
  /** Epoch ms after which the token is refreshed (expiry minus the margin). */
  refreshAt: number;
}

export interface AccessTokenOptions {
  /** Calls cgi-bin/token. */
  fetchToken(): Promise<IssuedToken>;
  /** Shared cache; optional (tests and single processes use memory only). */
  redis?: Redis;
  redisKey?: string;
  /** Refresh this long before expiry. Default 5 minutes. */
  refreshMarginMs?: number;
  now?: () => number;
}

// Delete the shared token only if it is still the one that failed: another process may already have
// stored a fresh one, which must not be thrown away.
const DELETE_IF_SAME = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class AccessTokenProvider {
  private memory?: CachedToken;
  private inflight?: Promise<string>;
  private readonly margin: number;
  private readonly now: () => number;

  constructor(private readonly opts: AccessTokenOptions) {
    this.margin = opts.refreshMarginMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  async get(): Promise<string> {
    if (this.memory && this.memory.refreshAt > this.now()) return this.memory.token;
    const shared = await this.readShared();
    if (shared && shared.refreshAt > this.now()) {
      this.memory = shared;
      return shared.token;
    }
    // One fetch at a time per process: concurrent sends wait for the same token.
    this.inflight ??= this.refresh().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /** The API rejected `token`: forget it, so the next get() fetches a new one. */
  async invalidate(token: string): Promise<void> {
    if (this.memory?.token === token) this.memory = undefined;
    if (!this.opts.redis || !this.opts.redisKey) return;
    try {
      await withTimeout(this.opts.redis.eval(DELETE_IF_SAME, 1, this.opts.redisKey, token), 500, 'token delete');
    } catch {
      // The shared copy will be replaced by the next refresh anyway.
    }
  }

  private async refresh(): Promise<string> {
    const issued = await this.opts.fetchToken();
    const ttlMs = issued.expiresIn * 1000;
    const cached: CachedToken = { token: issued.token, refreshAt: this.now() + Math.max(ttlMs - this.margin, ttlMs / 2) };
    this.memory = cached;
    if (this.opts.redis && this.opts.redisKey) {
      try {
        await withTimeout(this.opts.redis.set(this.opts.redisKey, cached.token, 'PX', Math.max(1, cached.refreshAt - this.now())), 500, 'token set');
      } catch {
        // Memory still has it.
      }
    }
    return cached.token;
  }

  private async readShared(): Promise<CachedToken | undefined> {
    if (!this.opts.redis || !this.opts.redisKey) return undefined;
    try {
      const [token, pttl] = await withTimeout(
        Promise.all([this.opts.redis.get(this.opts.redisKey), this.opts.redis.pttl(this.opts.redisKey)]),
        500,
        'token get',
      );
      if (!token || pttl <= 0) return undefined;
      return { token, refreshAt: this.now() + pttl };
    } catch {
      return undefined;
    }
  }
}
