// Bearer-token check for the admin API, compared in constant time. Fails closed: no token configured means
// no admin access.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from './http-errors.js';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export function tokenMatches(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

export function requireAdmin(adminToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendError(res, 401, 'unauthorized', 'missing bearer token (Authorization: Bearer <ADMIN_TOKEN>)');
    }
    if (!tokenMatches(match[1].trim(), adminToken)) return sendError(res, 403, 'forbidden', 'wrong token');
    next();
  };
}
