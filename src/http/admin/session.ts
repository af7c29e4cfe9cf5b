// The console's session cookie: only the random session id (SessionStore keeps the rest in Redis). HttpOnly,
// SameSite=Strict, and Secure when the request came over HTTPS — as req.secure tells it, which believes a
// proxy's X-Forwarded-Proto only under TRUST_PROXY.
import type { CookieOptions, Request } from 'express';

export const SESSION_COOKIE = 'jiesu_admin';

export function sessionCookieOptions(req: Request, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', ...(maxAgeMs ? { maxAge: maxAgeMs } : {}) };
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
