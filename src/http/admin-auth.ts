// Bearer-token checks (the admin API, /metrics), compared in constant time. Fails closed: no token configured
// means no access. Where accounts are given, a staff account's API token is accepted too (looked up by hash).
// Wrong tokens count against the client's address like failed console logins (auth-throttle.ts): past the
// limit every bearer request from that address gets 429 until the window ends.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { StaffRole } from '../tickets/staff-store.js';
import { sendError } from './http-errors.js';
import { retryAfterSeconds, type AuthThrottle } from './auth-throttle.js';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export function tokenMatches(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** Who a bearer token speaks for: the admin token is `admin`; a staff API token is its account. */
export interface BearerIdentity {
  user: string;
  role: StaffRole;
  unit?: string;
}

/** A token and the throttle its wrong guesses count against. */
export interface BearerToken {
  token: string | undefined;
  throttle: AuthThrottle;
  /** The variable that holds it, for the 401's hint (default ADMIN_TOKEN). */
  name?: string;
  /** Staff accounts' API tokens, accepted beside `token` (StaffCredentials.verifyToken). */
  accounts?: (token: string) => Promise<BearerIdentity | undefined>;
}

export type BearerVerdict = { ok: true; who: BearerIdentity } | { ok: false; status: 401 | 403 | 429 | 503; retryAfterMs?: number };

const ADMIN: BearerIdentity = { user: 'admin', role: 'admin' };

/** Who the request's bearer token speaks for (set by requireAdmin). */
export function bearerIdentity(res: Response): BearerIdentity | undefined {
  return res.locals.bearerIdentity as BearerIdentity | undefined;
}

export function bearerOf(req: Request): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1].trim();
}

/** Per request and token, the verdict already reached: a request is checked once however many doors it passes. */
const verdicts = new WeakMap<Request, Map<BearerToken, Promise<BearerVerdict>>>();

/** Checks a request's bearer token: 401 without one, 403 when wrong, 429 while its address is locked out. */
export function checkBearer(req: Request, expected: BearerToken): Promise<BearerVerdict> {
  let mine = verdicts.get(req);
  if (!mine) verdicts.set(req, (mine = new Map()));
  let v = mine.get(expected);
  if (!v) mine.set(expected, (v = verifyBearer(req, expected)));
  return v;
}

async function verifyBearer(req: Request, expected: BearerToken): Promise<BearerVerdict> {
  const given = bearerOf(req);
  if (!given) return { ok: false, status: 401 };
  const ip = req.ip ?? 'unknown';
  const blocked = await expected.throttle.blockedFor(ip);
  if (blocked) return { ok: false, status: 429, retryAfterMs: blocked };
  if (tokenMatches(given, expected.token)) return { ok: true, who: ADMIN };
  if (expected.accounts) {
    let who;
    try {
      who = await expected.accounts(given);
    } catch {
      // The database is unreachable: the token is unknown, not wrong, so it does not count against the address.
      return { ok: false, status: 503 };
    }
    if (who) return { ok: true, who };
  }
  await expected.throttle.failed(ip);
  return { ok: false, status: 403 };
}

export function requireAdmin(admin: BearerToken): RequestHandler {
  return async (req, res, next) => {
    const v = await checkBearer(req, admin);
    if (v.ok) {
      res.locals.bearerIdentity = v.who;
      return next();
    }
    if (v.status === 401) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendError(res, 401, 'unauthorized', `missing bearer token (Authorization: Bearer <${admin.name ?? 'ADMIN_TOKEN'}>)`);
    }
    if (v.status === 429) {
      res.setHeader('Retry-After', String(retryAfterSeconds(v.retryAfterMs ?? 1000)));
      return sendError(res, 429, 'too_many_failures', 'too many wrong tokens from this address; wait and retry');
    }
    if (v.status === 503) {
      res.setHeader('Retry-After', '10');
      return sendError(res, 503, 'unavailable', 'the account database is unreachable; retry shortly');
    }
    sendError(res, 403, 'forbidden', 'wrong token');
  };
}
