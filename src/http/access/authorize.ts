// The one door every staff route passes, mounted in front of the staff routers: it finds the route's rule
// (route-rules.ts), asks the caller's ability (policy.ts) and, for a ticket route, whether the caller reaches
// that ticket (ticket-scope.ts). Refused: 403 (a page says so in Chinese); a ticket out of reach: 404. Who the
// caller is comes from the console session or a bearer token (loadSession); without either it passes on, and
// the routers' own guards answer 401 or send the browser to log in, as they always have. Every change a staff
// member makes (a request that is not a read and succeeded) goes to the audit log with their name and role.
import type { Request, RequestHandler, Response } from 'express';
import { subject } from '@casl/ability';
import { sendError } from '../http-errors.js';
import type { Db } from '../../tickets/db.js';
import type { AuditLog } from '../../tickets/audit-log.js';
import type { Logger } from '../../log.js';
import { loadSession, sessionOf, type StaffAuth } from '../admin/require-session.js';
import { abilityFor, type Action, type Actor, type AppAbility, type SubjectName } from './policy.js';
import { RouteRules, type MatchedRule } from './route-rules.js';
import type { TicketScope } from './ticket-scope.js';
import { forbiddenPage } from '../admin/forbidden-page.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthorizeDeps {
  auth: StaffAuth;
  db: Db;
  scope: TicketScope;
  audit: AuditLog;
  log: Logger;
  /** TZ_NAME, for the refusal page's dates. */
  timeZone: string;
  rules?: RouteRules;
}

/** The caller and their ability, set by authorize for every staff route it let through. */
export function actorOf(res: Response): Actor | undefined {
  return res.locals.actor as Actor | undefined;
}

export function abilityOf(res: Response): AppAbility | undefined {
  return res.locals.ability as AppAbility | undefined;
}

/** Whether the caller may do `action` on `what` (a subject name, or a Handoff with its channel). */
export function allowed(res: Response, action: Action, what: SubjectName | { type: 'Handoff'; channel: string }): boolean {
  const ability = abilityOf(res);
  if (!ability) return true; // a router mounted without authorize (tests of one router) is its own admin
  return typeof what === 'string' ? ability.can(action, what) : ability.can(action, subject('Handoff', { channel: what.channel }));
}

/** What an event or audit line says of the caller: `staff:<role>:<name>`. */
export function actorLabel(res: Response, fallback = 'operator'): string {
  const who = actorOf(res);
  return who ? `staff:${who.role}:${who.user}` : fallback;
}

function refuse(req: Request, res: Response, status: 403 | 404, timeZone: string): void {
  const page = req.method === 'GET' && !req.path.startsWith('/api/') && req.accepts(['json', 'html']) === 'html';
  if (page) {
    res.status(status).type('html').send(forbiddenPage(status, sessionOf(res)!, timeZone));
    return;
  }
  if (status === 404) return sendError(res, 404, 'not_found', 'no such ticket');
  sendError(res, 403, 'forbidden', 'your role may not do this');
}

export function authorize(deps: AuthorizeDeps): RequestHandler {
  const rules = deps.rules ?? new RouteRules();
  const identify = loadSession(deps.auth);
  const check = async (req: Request, res: Response, matched: MatchedRule | undefined): Promise<'ok' | 403 | 404> => {
    const session = sessionOf(res);
    if (!session) return 'ok';
    const who: Actor = { user: session.user, role: session.role, ...(session.unit ? { unit: session.unit } : {}) };
    // A staff path no rule names is not served to anyone: a route added without its rule is closed, not open.
    if (!matched) return 404;
    if (matched.rule.kind === 'public') return 'ok';
    const ability = abilityFor(who);
    res.locals.actor = who;
    res.locals.ability = ability;
    if (!ability.can(matched.rule.action, matched.rule.subject)) return 403;
    const number = matched.params.number;
    if (matched.rule.subject === 'Ticket' && number !== undefined && !(await deps.scope.inScope(deps.db, who, number))) return 404;
    if (!READS.has(req.method)) auditOnFinish(deps, res, who, `${req.method} ${matched.path}`, number);
    return 'ok';
  };
  return (req, res, next) => {
    if (!RouteRules.isStaffPath(req.path)) return next();
    const matched = rules.find(req.method, req.path);
    // Assets and the login form: nothing to check (the login routes read the session themselves).
    if (matched?.rule.kind === 'public') return next();
    identify(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (res.headersSent) return;
      check(req, res, matched).then((v) => (v === 'ok' ? next() : refuse(req, res, v, deps.timeZone)), next);
    });
  };
}

function auditOnFinish(deps: AuthorizeDeps, res: Response, who: Actor, action: string, ticketNumber?: string): void {
  res.on('finish', () => {
    if (res.statusCode >= 400 || res.locals.audited) return;
    deps.audit
      .record({ user: who.user, role: who.role, action, ...(ticketNumber ? { ticketNumber } : {}), detail: String(res.statusCode) })
      .catch((err: Error) => deps.log.error({ err: err.message, action, user: who.user }, 'audit log entry not written'));
  });
}
