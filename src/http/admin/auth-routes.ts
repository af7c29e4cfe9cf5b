// Login and logout. A successful login opens a session (SessionStore) and sets its id as the cookie, then goes
// back to the page the operator asked for; logout ends the session in Redis, so the cookie is worthless on
// every gateway at once. Failed logins count per client address with wrong bearer tokens (auth-throttle.ts):
// past the limit the form answers 429 for the rest of the window.
import express from 'express';
import { retryAfterSeconds } from '../auth-throttle.js';
import { loginPage } from './layout.js';
import { parseCookies, SESSION_COOKIE, sessionCookieOptions } from './session.js';
import { csrfOk, sessionOf, type StaffAuth } from './require-session.js';

/** Only our own console pages are valid targets (no open redirect to another site); else `/admin`, the role's own start. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(\/[^\s\\]*)?(\?[^\s\\]*)?$/.test(next) && !next.startsWith('/admin/login') ? next : '/admin';
}

export function authRoutes(auth: StaffAuth): express.Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });
  const throttle = auth.admin.throttle;
  const usersEnabled = auth.credentials.hasUsers;

  r.get('/admin/login', (req, res) => {
    if (sessionOf(res)) return res.redirect(302, safeNext(req.query.next));
    res.type('html').send(loginPage({ next: safeNext(req.query.next), usersEnabled }));
  });

  r.post('/admin/login', form, async (req, res) => {
    const ip = req.ip ?? 'unknown';
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const again = (status: number, error: string) => res.status(status).type('html').send(loginPage({ next, error, usersEnabled }));
    const tooMany = (ms: number) => {
      res.setHeader('Retry-After', String(retryAfterSeconds(ms)));
      return again(429, '登录失败次数过多，请5分钟后再试。');
    };
    const blocked = await throttle.blockedFor(ip);
    if (blocked) return tooMany(blocked);
    const str = (v: unknown) => (typeof v === 'string' && v.length <= 512 ? v : undefined);
    const who = await auth.credentials.check({ user: str(body.user), password: str(body.password), token: str(body.token) });
    if (!who) {
      await throttle.failed(ip);
      return again(401, '令牌或用户名、密码不正确。');
    }
    await throttle.succeeded(ip);
    let session;
    try {
      session = await auth.sessions.create(who);
    } catch {
      // Sessions live in Redis: without it nobody can be logged in (the console would not know them next request).
      res.setHeader('Retry-After', '10');
      return again(503, '登录服务暂时不可用（会话存储无法连接），请稍后再试。');
    }
    res.cookie(SESSION_COOKIE, session.id, sessionCookieOptions(req, auth.sessions.maxMs));
    res.redirect(303, next);
  });

  r.post('/admin/logout', form, async (req, res) => {
    // Logging out is a change too: a foreign page must not be able to log the operator out.
    if (sessionOf(res) && !csrfOk(req, res)) return res.status(403).type('text/plain').send('CSRF check failed');
    const id = parseCookies(req.get('cookie'))[SESSION_COOKIE];
    if (id) await auth.sessions.destroy(id);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(req));
    res.redirect(303, '/admin/login');
  });
  return r;
}
