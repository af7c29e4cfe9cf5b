// The account's hourly call budget, shared by every process that calls Weibo with the token (the poller in
// the gateway, send() in the outbound workers). Weibo counts per clock hour and resets on the hour, so this
// counts in the same windows. Polling may use only its share, so replies always find room; when Weibo itself
// says the limit is reached (10023 and friends), the window is marked spent until it ends.
import type { Redis } from 'ioredis';
import { msToNextHour } from './weibo-error.js';
import { POLL_BUDGET_SHARE } from './weibo-config.js';

export type BudgetUse = 'poll' | 'reply';

export interface BudgetState {
  used: number;
  limit: number;
  /** When the current window ends (ms since epoch). */
  resetAt: number;
}

export class RateBudget {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  private key(at: number): string {
    return `${this.prefix}:weibo:budget:${Math.floor(at / 3_600_000)}`;
  }

  /**
   * Takes one call from the budget; false (and nothing taken) when `use` has no room left in this hour.
   * Redis being down does not stop calls: Weibo enforces its limit anyway and says so.
   */
  async take(use: BudgetUse): Promise<boolean> {
    const at = this.now();
    const cap = use === 'poll' ? Math.floor(this.limit * POLL_BUDGET_SHARE) : this.limit;
    const key = this.key(at);
    try {
      const used = await this.redis.incr(key);
      if (used === 1) await this.redis.pexpire(key, msToNextHour(at) + 60_000);
      if (used <= cap) return true;
      await this.redis.decr(key);
      return false;
    } catch {
      return true;
    }
  }

  /** Weibo said the limit is reached: nothing more this hour. */
  async exhaust(): Promise<void> {
    const at = this.now();
    // Best effort: unrecorded (Redis away), the next call is refused by Weibo and records it then.
    await this.redis.set(this.key(at), String(this.limit), 'PX', msToNextHour(at) + 60_000).catch(() => {});
  }

  async state(): Promise<BudgetState> {
    const at = this.now();
    const used = Number((await this.redis.get(this.key(at)).catch(() => null)) ?? 0);
    return { used, limit: this.limit, resetAt: at + msToNextHour(at) };
  }

  msToReset(): number {
    return msToNextHour(this.now());
  }
}
