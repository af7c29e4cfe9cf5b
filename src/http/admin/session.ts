// Console sessions without server state: a cookie holding {user, expiry, csrf nonce}, signed with HMAC-SHA256.
// The signing key is ADMIN_SESSION_SECRET when set, else derived from ADMIN_TOKEN, so every gateway
// instance behind a load balancer accepts the same cookie and rotating the token logs everyone out.
// Users log in with the admin token (user "admin") or a name and password from ADMIN_USERS
// ("alice:<sha256 hex of password>,bob:<…>").
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { tokenMatches } from '../admin-auth.js';

export const SESSION_COOKIE = 'jiesu_admin';
export const SESSION_TTL_MS = 12 * 3600_000;

export interface Session {
  user: string;
  /** Expiry, ms since epoch. */
  exp: number;
  /** Sent back by the console's scripts in X-CSRF-Token on every state-changing request. */
  csrf: string;
}

export interface AdminUser {
  name: string;
  /** sha256 of the password, lower-case hex. */
  hash: string;
}

export class AdminUsersError extends Error {}

/** Parses ADMIN_USERS; a malformed entry is an error at startup, not a silent lock-out. */
export function parseAdminUsers(value: string | undefined): AdminUser[] {
  if (!value?.trim()) return [];
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([^:\s]{1,64}):([0-9a-fA-F]{64})$/.exec(entry);
      if (!m) throw new AdminUsersError(`ADMIN_USERS: "${entry.split(':')[0]}:…" must be name:sha256hex (64 hex digits)`);
      return { name: m[1], hash: m[2].toLowerCase() };
    });
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export class SessionSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (!secret) throw new Error('a session secret is required');
    this.key = createHmac('sha256', 'jiesu-admin-session').update(secret).digest();
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  issue(user: string, now = Date.now()): { cookie: string; session: Session } {
    const session: Session = { user, exp: now + SESSION_TTL_MS, csrf: randomBytes(16).toString('base64url') };
    const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
    return { cookie: `${payload}.${this.mac(payload)}`, session };
  }

  /** The session in a cookie value, or undefined when forged, malformed or expired. */
  verify(value: string | undefined, now = Date.now()): Session | undefined {
    if (!value) return undefined;
    const dot = value.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1));
    const expected = Buffer.from(this.mac(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const s = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
      if (typeof s.user !== 'string' || typeof s.exp !== 'number' || typeof s.csrf !== 'string' || s.exp <= now) return undefined;
      return s;
    } catch {
      return undefined;
    }
  }
}

/**
 * Checks a login: the admin token alone, or a configured user's name and password. Every configured user is
 * compared (constant time each), so the time taken does not tell which names exist.
 */
export function checkLogin(input: { user?: string; password?: string; token?: string }, adminToken: string | undefined, users: AdminUser[]): string | undefined {
  if (input.token) return tokenMatches(input.token, adminToken) ? 'admin' : undefined;
  if (!input.user || !input.password) return undefined;
  const hash = sha256(input.password);
  let found: string | undefined;
  for (const u of users) {
    const ok = timingSafeEqual(hash, Buffer.from(u.hash, 'hex'));
    const sameName = timingSafeEqual(sha256(u.name), sha256(input.user));
    if (ok && sameName) found = u.name;
  }
  return found;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}
