// Console sessions in Redis, shared by every gateway. The cookie carries only a random id (256 bits); Redis
// keeps the session under a hash of that id (a copy of Redis holds no usable cookie) with a sliding idle
// expiry, and the session itself carries its absolute end. Each user's sessions are listed in a set, so all of
// them end at once — on logout everywhere, a password change, a removed user.
//
//   <prefix>:session:<sha256(id)>         JSON Session, PX = idle timeout, renewed on every request
//   <prefix>:sessions-of:<user>           set of sha256(id) of that user's sessions (expires with the newest)
//   <prefix>:session-users                set of users who have sessions (for the sweep at start)
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StaffRole } from '../../tickets/staff-store.js';

export type { StaffRole };

export interface Session {
  /** The cookie's value. */
  id: string;
  user: string;
  role: StaffRole;
  /** For unit staff: the street office or department whose tickets they see. */
  unit?: string;
  /** Sent back by the console's scripts in X-CSRF-Token on every state-changing request. */
  csrf: string;
  /** Fingerprint of the credential the session was opened with (StaffCredentials). */
  cred: string;
  createdAt: number;
  /** The absolute end, ms since epoch: no activity keeps a session past it. */
  expiresAt: number;
}

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 12 * 3600_000;

const ID = /^[A-Za-z0-9_-]{43}$/;

export interface SessionStoreOptions {
  idleMs?: number;
  maxMs?: number;
}

export class SessionStore {
  readonly idleMs: number;
  readonly maxMs: number;

  constructor(private readonly redis: Redis, private readonly prefix: string, opts: SessionStoreOptions = {}) {
    this.idleMs = opts.idleMs ?? SESSION_IDLE_MS;
    this.maxMs = opts.maxMs ?? SESSION_MAX_MS;
  }

  private static digest(id: string): string {
    return createHash('sha256').update(id).digest('base64url');
  }

  private key(digest: string): string {
    return `${this.prefix}:session:${digest}`;
  }

  private userKey(user: string): string {
    return `${this.prefix}:sessions-of:${user}`;
  }

  private get usersKey(): string {
    return `${this.prefix}:session-users`;
  }

  async create(who: { user: string; role: StaffRole; unit?: string; cred: string }): Promise<Session> {
    const now = Date.now();
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      user: who.user,
      role: who.role,
      ...(who.unit ? { unit: who.unit } : {}),
      csrf: randomBytes(24).toString('base64url'),
      cred: who.cred,
      createdAt: now,
      expiresAt: now + this.maxMs,
    };
    const digest = SessionStore.digest(session.id);
    // The user's set lives as long as their newest session can.
    await this.redis
      .multi()
      .set(this.key(digest), JSON.stringify(session), 'PX', Math.min(this.idleMs, this.maxMs))
      .sadd(this.userKey(who.user), digest)
      .pexpire(this.userKey(who.user), this.maxMs)
      .sadd(this.usersKey, who.user)
      .exec();
    return session;
  }

  /**
   * The session behind a cookie value, its idle timer restarted (one GETEX); undefined when unknown, idle too
   * long or past its absolute end. `extend: false` reads without restarting the timer (a page's background
   * refresh is not someone at the keyboard).
   */
  async touch(id: string | undefined, opts: { extend?: boolean } = {}): Promise<Session | undefined> {
    if (!id || !ID.test(id)) return undefined;
    const key = this.key(SessionStore.digest(id));
    const raw = opts.extend === false ? await this.redis.get(key) : await this.redis.getex(key, 'PX', this.idleMs);
    if (!raw) return undefined;
    const session = { ...(JSON.parse(raw) as Omit<Session, 'id'>), id } as Session;
    if (Date.now() >= session.expiresAt) {
      await this.destroy(id);
      return undefined;
    }
    return session;
  }

  /** Ends one session (logout); true when it existed. */
  async destroy(id: string): Promise<boolean> {
    if (!ID.test(id)) return false;
    const digest = SessionStore.digest(id);
    const raw = await this.redis.get(this.key(digest));
    if (!raw) return false;
    const { user } = JSON.parse(raw) as Session;
    await this.redis.multi().del(this.key(digest)).srem(this.userKey(user), digest).exec();
    return true;
  }

  /** Ends every session of a user on every gateway; returns how many there were. */
  async destroyAllFor(user: string): Promise<number> {
    const digests = await this.redis.smembers(this.userKey(user));
    const tx = this.redis.multi();
    for (const d of digests) tx.del(this.key(d));
    const results = (await tx.del(this.userKey(user)).srem(this.usersKey, user).exec()) ?? [];
    return results.slice(0, digests.length).reduce((n, [, v]) => n + (v === 1 ? 1 : 0), 0);
  }

  /**
   * Ends the sessions whose credential no longer stands (run at start, after ADMIN_USERS or ADMIN_TOKEN
   * changed), so a removed user or an old password is logged out on every gateway at once.
   */
  async revokeStale(stillValid: (s: Session) => boolean | Promise<boolean>): Promise<number> {
    let ended = 0;
    for (const user of await this.redis.smembers(this.usersKey)) {
      const digests = await this.redis.smembers(this.userKey(user));
      const values = digests.length ? await this.redis.mget(digests.map((d) => this.key(d))) : [];
      const tx = this.redis.multi();
      for (const [i, raw] of values.entries()) {
        if (raw && (await stillValid(JSON.parse(raw) as Session))) continue;
        if (raw) ended++;
        tx.del(this.key(digests[i])).srem(this.userKey(user), digests[i]);
      }
      if (!values.some((raw) => raw)) tx.srem(this.usersKey, user);
      await tx.exec();
    }
    return ended;
  }
}
