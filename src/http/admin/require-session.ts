// Who may use the console. Pages without a session redirect to the login page; JSON endpoints answer 401.
// Scripts may also call /api/admin with `Authorization: Bearer <ADMIN_TOKEN>` or a staff account's API token
// (no cookie, so no CSRF risk); wrong tokens count against the address like failed logins.
// State-changing requests with a cookie session must carry the session's CSRF token (X-CSRF-Token header,
// or a `_csrf` form field) and, when the browser sends one, an Origin equal to our own: SameSite=Strict
// already keeps other sites' requests cookie-less, this is the second lock.
import type { Request, RequestHandler, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { bearerOf, checkBearer, type BearerToken } from '../admin-auth.js';
import { retryAfterSeconds } from '../auth-throttle.js';
import { sendError } from '../http-errors.js';
import { parseCookies, SESSION_COOKIE } from './session.js';
import type { Session, SessionStore } from './session-store.js';
import type { StaffCredentials } from './staff-credentials.js';

/** What the console's doors share: the sessions, who may log in, and the admin token with its throttle. */
export interface StaffAuth {
  sessions: SessionStore;
  credentials: StaffCredentials;
  admin: BearerToken;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionOf(res: Response): Session | undefined {
  return res.locals.adminSession as Session | undefined;
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Reads the bearer token or the session cookie into res.locals; rejects only a locked-out bearer (429). A
 * session whose credential has changed since it was opened (StaffCredentials.stillValid) is ended here.
 */
export function loadSession(auth: StaffAuth): RequestHandler {
  return async (req, res, next) => {
    // Read once per request: authorize reads it ahead of the routers, which read it again on their own.
    if (res.locals.sessionLoaded) return next();
    res.locals.sessionLoaded = true;
    if (bearerOf(req)) {
      const v = await checkBearer(req, auth.admin);
      if (v.ok) {
        const now = Date.now();
        const { user, role, unit } = v.who;
        res.locals.adminSession = { id: '', user, role, ...(unit ? { unit } : {}), csrf: '', cred: '', createdAt: now, expiresAt: now } satisfies Session;
        res.locals.adminBearer = true;
        return next();
      }
      if (v.status === 429) {
        res.setHeader('Retry-After', String(retryAfterSeconds(v.retryAfterMs ?? 1000)));
        return sendError(res, 429, 'too_many_failures', 'too many wrong tokens from this address; wait and retry');
      }
    }
    const id = parseCookies(req.get('cookie'))[SESSION_COOKIE];
    if (id) {
      // Redis unreachable: nobody is logged in (fails closed), the page says so by sending them to log in.
      // The console's own timers mark their refreshes (X-Jiesu-Background: 1): they keep an unattended page
      // current without keeping its session alive past the idle timeout. bull-board's page polls its API on a
      // timer it cannot mark, so its reads never count as activity either (its changes do).
      const boardRead = req.method === 'GET' && req.originalUrl.startsWith('/admin/queues/api/');
      const extend = req.get('x-jiesu-background') !== '1' && !boardRead;
      const session = await auth.sessions.touch(id, { extend }).catch(() => undefined);
      // An account database that cannot be read leaves the session unused this time, not ended.
      const valid = session ? await auth.credentials.stillValid(session).catch(() => undefined) : false;
      if (session && valid) res.locals.adminSession = session;
      else if (session && valid === false) await auth.sessions.destroy(id).catch(() => false);
    }
    next();
  };
}

function originMatches(req: Request): boolean {
  const origin = req.get('origin');
  if (!origin || origin === 'null') return origin !== 'null';
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

export function csrfOk(req: Request, res: Response): boolean {
  if (SAFE_METHODS.has(req.method) || res.locals.adminBearer) return true;
  const session = sessionOf(res);
  if (!session || !originMatches(req)) return false;
  const given = req.get('x-csrf-token') ?? (req.body as { _csrf?: unknown } | undefined)?._csrf;
  return typeof given === 'string' && sameString(given, session.csrf);
}

/** For pages: no session → 302 to the login page, remembering where the operator was going. */
export const requirePageSession: RequestHandler = (req, res, next) => {
  if (!sessionOf(res)) {
    const target = req.originalUrl.startsWith('/admin') ? req.originalUrl : '/admin';
    return res.redirect(302, `/admin/login?next=${encodeURIComponent(target)}`);
  }
  if (!csrfOk(req, res)) return res.status(403).type('text/plain').send('请求来源校验失败（CSRF），请刷新页面后重试。');
  next();
};

/** For JSON endpoints: 401 without a session, 403 without the CSRF token on a change. */
export const requireApiSession: RequestHandler = (req, res, next) => {
  if (!sessionOf(res)) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    return sendError(res, 401, 'unauthorized', 'log in at /admin/login, or send Authorization: Bearer <ADMIN_TOKEN>');
  }
  if (!csrfOk(req, res)) return sendError(res, 403, 'csrf', 'missing or wrong X-CSRF-Token, or a foreign Origin');
  next();
};
