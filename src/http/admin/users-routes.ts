// Staff accounts on the console, for administrators (the same StaffStore as `jiesu users`): the list with each
// account's live tokens and their last use, add, disable, reset a password, issue a token (shown once, in this
// answer only) and revoke them all. Disabling an account or resetting its password ends its sessions at once.
import express from 'express';
import { z } from 'zod';
import { PASSWORD_MAX, STAFF_ROLES, StaffAccountError, type StaffAccount, type StaffStore } from '../../tickets/staff-store.js';
import type { SessionStore } from './session-store.js';
import { sendError } from '../http-errors.js';
import { sendInvalid, validate } from '../validate.js';
import { safeString } from '../input-fields.js';

const NameParams = z.object({ name: safeString(64).min(1) });
const AddBody = z
  .object({
    name: safeString(64).trim().min(1),
    role: z.enum(STAFF_ROLES),
    unit: safeString(80).trim().optional().transform((u) => u || undefined),
    password: z.string().max(PASSWORD_MAX).optional().transform((p) => p || undefined),
  })
  .strict();
const PasswordBody = z.object({ password: z.string().max(PASSWORD_MAX) }).strict();

export interface UsersRoutesDeps {
  staff: StaffStore;
  sessions: SessionStore;
  /** The units an account of role `unit` may be bound to (the dispatch table's), offered by the form. */
  units: readonly string[];
}

const view = (a: StaffAccount & { activeTokens?: number; tokenLastUsedAt?: Date }) => ({
  name: a.name,
  role: a.role,
  unit: a.unit ?? null,
  hasPassword: Boolean(a.passwordHash),
  disabledAt: a.disabledAt?.toISOString() ?? null,
  createdAt: a.createdAt.toISOString(),
  activeTokens: a.activeTokens ?? 0,
  tokenLastUsedAt: a.tokenLastUsedAt?.toISOString() ?? null,
});

/** StaffStore's refusals as the API's: a bad value is 400 naming the field, a taken name 409, an unknown one 404. */
function refused(res: express.Response, err: unknown, field = 'name'): void {
  if (!(err instanceof StaffAccountError)) throw err;
  if (err.code === 'not_found') return sendError(res, 404, 'not_found', err.message);
  if (err.code === 'exists') return sendError(res, 409, 'exists', err.message);
  sendInvalid(res, { field: /unit/.test(err.message) ? 'unit' : /password/i.test(err.message) ? 'password' : field, reason: err.message });
}

export function usersRoutes(deps: UsersRoutesDeps): express.Router {
  const r = express.Router();
  const json = express.json({ limit: '4kb' });
  // Nobody but the person at the screen should ever see a token or a list of accounts again from a cache.
  r.use('/api/admin/users', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  r.get('/api/admin/users', async (_req, res) => {
    res.json({ items: (await deps.staff.list()).map(view), roles: STAFF_ROLES, units: deps.units });
  });

  const add = validate({ body: AddBody });
  r.post('/api/admin/users', json, add, async (_req, res) => {
    try {
      const account = await deps.staff.add(add.of(res).body);
      res.status(201).json(view(account));
    } catch (err) {
      refused(res, err);
    }
  });

  const one = validate({ params: NameParams });
  r.post('/api/admin/users/:name/disable', one, async (_req, res) => {
    const { name } = one.of(res).params;
    try {
      const changed = await deps.staff.disable(name);
      const ended = await deps.sessions.destroyAllFor(name);
      res.json({ name, disabled: true, changed, sessionsEnded: ended });
    } catch (err) {
      refused(res, err);
    }
  });

  const password = validate({ params: NameParams, body: PasswordBody });
  r.post('/api/admin/users/:name/password', json, password, async (_req, res) => {
    const { params, body } = password.of(res);
    try {
      await deps.staff.setPassword(params.name, body.password);
      const ended = await deps.sessions.destroyAllFor(params.name);
      res.json({ name: params.name, sessionsEnded: ended });
    } catch (err) {
      refused(res, err, 'password');
    }
  });

  r.post('/api/admin/users/:name/tokens', one, async (_req, res) => {
    const { name } = one.of(res).params;
    try {
      res.status(201).json({ name, token: await deps.staff.issueToken(name) });
    } catch (err) {
      refused(res, err);
    }
  });

  r.delete('/api/admin/users/:name/tokens', one, async (_req, res) => {
    const { name } = one.of(res).params;
    try {
      res.json({ name, revoked: await deps.staff.revokeTokens(name) });
    } catch (err) {
      refused(res, err);
    }
  });
  return r;
}
