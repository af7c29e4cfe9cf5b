// Login and logout. A successful login sets the signed session cookie (HttpOnly, SameSite=Strict, Secure
// behind HTTPS) and goes back to the page the operator asked for. Failed logins are counted per client
// address: after 10 in 5 minutes the form answers 429 for the rest of the window.
import express from 'express';
import { loginPage } from './layout.js';
import { checkLogin, SESSION_COOKIE, SESSION_TTL_MS, type AdminUser, type SessionSigner } from './session.js';
import { csrfOk, sessionOf } from './require-session.js';

const MAX_FAILURES = 10;
const WINDOW_MS = 5 * 60_000;

/** Only our own console pages are valid targets (no open redirect to another site). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(\/[^\s\\]*)?(\?[^\s\\]*)?$/.test(next) && !next.startsWith('/admin/login') ? next : '/admin/tickets';
}

export function authRoutes(deps: { signer: SessionSigner; adminToken: string | undefined; users: AdminUser[] }): express.Router {
  const r = express.Router();
  const failures = new Map<string, { n: number; since: number }>();
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  r.get('/admin/login', (req, res) => {
    if (sessionOf(res)) return res.redirect(302, safeNext(req.query.next));
    res.type('html').send(loginPage({ next: safeNext(req.query.next), usersEnabled: deps.users.length > 0 }));
  });

  r.post('/admin/login', form, (req, res) => {
    const ip = req.ip ?? 'unknown';
    const now = Date.now();
    const f = failures.get(ip);
    if (f && now - f.since > WINDOW_MS) failures.delete(ip);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const again = (status: number, error: string) =>
      res.status(status).type('html').send(loginPage({ next, error, usersEnabled: deps.users.length > 0 }));
    if ((failures.get(ip)?.n ?? 0) >= MAX_FAILURES) return again(429, '登录失败次数过多，请5分钟后再试。');
    const str = (v: unknown) => (typeof v === 'string' && v.length <= 512 ? v : undefined);
    const user = checkLogin({ user: str(body.user), password: str(body.password), token: str(body.token) }, deps.adminToken, deps.users);
    if (!user) {
      const cur = failures.get(ip) ?? { n: 0, since: now };
      failures.set(ip, { n: cur.n + 1, since: cur.since });
      return again(401, '令牌或用户名、密码不正确。');
    }
    failures.delete(ip);
    const { cookie } = deps.signer.issue(user);
    res.cookie(SESSION_COOKIE, cookie, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: SESSION_TTL_MS });
    res.redirect(303, next);
  });

  r.post('/admin/logout', form, (req, res) => {
    // Logging out is a change too: a foreign page must not be able to log the operator out.
    if (sessionOf(res) && !csrfOk(req, res)) return res.status(403).type('text/plain').send('CSRF check failed');
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    res.redirect(303, '/admin/login');
  });
  return r;
}
