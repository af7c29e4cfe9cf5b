// Leadership (src/core/leadership.ts) over one Redis lock per role. Taking it sets the key to this term's token
// with a time to live (or finds our own token still there); a script renews it every third of that time, but
// only while the key still holds our token; another deletes it on the same condition when the term ends. A
// process killed outright stops renewing: its lock expires after the TTL, and the others, which try every third
// of it, take the role over within 4/3 of the TTL. A renewal that finds another token, or none, ends the term at
// once; so do failed renewals (Redis unreachable) once the lock might expire before the next one.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Leadership } from '../core/leadership.js';
import type { Logger } from '../log.js';

export interface LeaderLockOptions {
  /** How long a lock outlives its holder's last renewal. Default 15 s, so a killed poller is replaced within 20 s. */
  ttlMs?: number;
}

const TAKE = `local cur = redis.call('GET', KEYS[1])
if not cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** After a failed attempt to reach Redis, the next one comes this soon (a gateway's client may still be connecting). */
const RETRY_AFTER_ERROR_MS = 500;

type LeadFn = (signal: AbortSignal) => Promise<void>;

export class RedisLeadership implements Leadership {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
    opts: LeaderLockOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 15_000;
    if (!Number.isInteger(this.ttlMs) || this.ttlMs < 300) throw new RangeError(`leader lock ttlMs must be an integer of at least 300 (got ${opts.ttlMs})`);
  }

  async lead(role: string, lead: LeadFn, stop: AbortSignal): Promise<void> {
    const key = `${this.prefix}:leader:${role}`;
    // One token per process and role: after a spell without Redis this process finds its own lock and goes on.
    const token = randomUUID();
    const every = Math.floor(this.ttlMs / 3);
    const log = this.log.child({ role });
    while (!stop.aborted) {
      const taken = await this.redis.eval(TAKE, 1, key, token, String(this.ttlMs)).then(
        (r) => (r === 1 ? 'taken' : 'held'),
        () => 'error' as const,
      );
      if (taken === 'taken') {
        log.info({ ttlMs: this.ttlMs }, 'leader lock acquired');
        const lost = await this.term(key, token, every, lead, stop, log);
        if (lost) log.warn('leader lock lost: stopped at once');
        else {
          // Unreleased (Redis away), the lock expires after its TTL and another process takes the role then.
          await this.redis.eval(RELEASE, 1, key, token).catch(() => {});
          log.info('leader lock released');
        }
      }
      if (stop.aborted) break;
      // Rejects only when `stop` aborts the wait: the loop then ends.
      await sleep(taken === 'error' ? RETRY_AFTER_ERROR_MS : every, undefined, { signal: stop }).catch(() => {});
    }
  }

  /** One term: `lead` runs while the renewals succeed. Resolves true when the lock was lost. */
  private async term(key: string, token: string, every: number, lead: LeadFn, stop: AbortSignal, log: Logger): Promise<boolean> {
    const term = new AbortController();
    const onStop = () => term.abort();
    stop.addEventListener('abort', onStop, { once: true });
    let lost = false;
    let renewedAt = Date.now();
    let renewing = false;
    const renew = async () => {
      if (renewing || term.signal.aborted) return;
      renewing = true;
      try {
        if ((await this.redis.eval(RENEW, 1, key, token, String(this.ttlMs))) === 1) renewedAt = Date.now();
        else lost = true;
      } catch {
        // An unreachable Redis proves nothing either way, until the lock could expire before the next renewal.
        if (Date.now() - renewedAt >= this.ttlMs - every) lost = true;
      } finally {
        renewing = false;
      }
      if (lost) term.abort();
    };
    const timer = setInterval(() => void renew(), every);
    try {
      await lead(term.signal);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'leader task failed');
    } finally {
      clearInterval(timer);
      stop.removeEventListener('abort', onStop);
      term.abort();
    }
    return lost;
  }
}
