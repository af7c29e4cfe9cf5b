// What every staff route needs, in one table: the access rules of issue 17 read top to bottom. A route under a
// staff prefix that is not listed here is answered 404 to anyone logged in, and the authorization matrix test
// (tests/integration/authorization-matrix.test.ts) fails for it, so a new route is added here with its router:
//
//   ['POST', '/api/tickets/:number/inbox/claim', need('update', 'Handoff')],
//
// A route with `:number` in its path and the subject `Ticket` is also scoped to the ticket: a unit that does
// not reach it (ticket-scope.ts) gets 404, exactly as for a number that does not exist.
import type { Action, SubjectName } from './policy.js';

/** Paths whose routes are staff routes: they need a rule here. */
export const STAFF_PREFIXES = ['/admin', '/api/admin', '/api/tickets', '/api/problems', '/api/hotline/dead-letters'] as const;

export type RouteRule =
  /** Needs the ability to do `action` on `subject`. */
  | { kind: 'need'; action: Action; subject: SubjectName }
  /** Open to everyone (the login form, static assets): the route checks nothing or does its own checking. */
  | { kind: 'public' };

export const need = (action: Action, subject: SubjectName): RouteRule => ({ kind: 'need', action, subject });
const PUBLIC: RouteRule = { kind: 'public' };

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | '*';
/** [method, express path, rule] — or a path ending in `/*`: that path and everything under it. */
export type RuleEntry = readonly [Method, string, RouteRule];

export const ROUTE_RULES: readonly RuleEntry[] = [
  // Login, logout and the assets the login page and every console page load.
  ['GET', '/admin/login', PUBLIC],
  ['POST', '/admin/login', PUBLIC],
  ['POST', '/admin/logout', PUBLIC],
  ['GET', '/admin/static/*', PUBLIC],
  ['GET', '/admin/mentions/static/*', PUBLIC],
  ['GET', '/admin/vendor/*', PUBLIC],

  // Everyone logged in: the start page (it sends each role to its own work), the session, reference data.
  ['GET', '/admin', need('read', 'Console')],
  ['GET', '/api/admin/session', need('read', 'Console')],
  ['GET', '/api/admin/meta', need('read', 'Console')],

  // Tickets (a unit only its own; analysts masked).
  ['GET', '/admin/tickets', need('read', 'Ticket')],
  ['GET', '/admin/tickets/:number', need('read', 'Ticket')],
  ['GET', '/api/admin/tickets', need('read', 'Ticket')],
  ['GET', '/api/admin/tickets.csv', need('read', 'Ticket')],
  ['GET', '/api/admin/tickets/:number', need('read', 'Ticket')],
  ['POST', '/api/admin/tickets/:number/events', need('update', 'Ticket')],
  ['POST', '/api/admin/tickets/:number/phone', need('reveal', 'Ticket')],
  ['GET', '/api/tickets', need('read', 'Ticket')],
  ['GET', '/api/tickets/:number', need('read', 'Ticket')],
  ['POST', '/api/tickets/:number/events', need('update', 'Ticket')],
  // 吹哨报到: the handling unit (or the centre) calls units in; a called unit reports (it reaches the ticket by its call-in).
  ...(['/api/admin/tickets', '/api/tickets'] as const).flatMap((base): RuleEntry[] => [
    ['GET', `${base}/:number/callins/suggestions`, need('read', 'Ticket')],
    ['POST', `${base}/:number/callins`, need('update', 'Ticket')],
    ['POST', `${base}/:number/callins/report`, need('update', 'Ticket')],
  ]),
  // The citizen's pictures (by unguessable id, shown on the ticket page).
  ['GET', '/api/admin/photos/:id', need('read', 'Ticket')],
  ['GET', '/api/admin/photos/:id/thumb', need('read', 'Ticket')],

  // 转人工 (social: the public channels' only).
  ['GET', '/admin/handoffs', need('read', 'Handoff')],
  ['GET', '/api/admin/console/handoffs', need('read', 'Handoff')],
  ['POST', '/api/admin/console/handoffs/reply', need('update', 'Handoff')],
  ['POST', '/api/admin/console/handoffs/release', need('update', 'Handoff')],
  ['GET', '/api/admin/handoffs', need('read', 'Handoff')],
  ['POST', '/api/admin/handoffs/reply', need('update', 'Handoff')],
  ['POST', '/api/admin/handoffs/release', need('update', 'Handoff')],
  // The agent inbox beside them, behind both doors (a conversation's channel is checked per request).
  ...(['/api/admin/handoffs', '/api/admin/console/handoffs'] as const).flatMap((base): RuleEntry[] => [
    ['GET', `${base}/conversation`, need('read', 'Handoff')],
    ['POST', `${base}/claim`, need('update', 'Handoff')],
    ['POST', `${base}/assign`, need('update', 'Handoff')],
    ['POST', `${base}/read`, need('update', 'Handoff')],
    ['POST', `${base}/notes`, need('update', 'Handoff')],
    ['GET', `${base}/canned`, need('read', 'Handoff')],
    ['GET', `${base}/staff`, need('read', 'Handoff')],
    ['GET', `${base}/saved-replies`, need('read', 'Handoff')],
    ['POST', `${base}/saved-replies`, need('update', 'Handoff')],
    ['DELETE', `${base}/saved-replies/:id`, need('update', 'Handoff')],
  ]),
  // The conversation that produced a ticket, on its page (a unit reaches its own tickets').
  ['GET', '/api/admin/tickets/:number/conversation', need('read', 'Ticket')],

  // Microblog mentions.
  ['GET', '/admin/mentions', need('read', 'Mention')],
  ['GET', '/api/admin/mentions', need('read', 'Mention')],
  ['GET', '/api/admin/mentions/summary', need('read', 'Mention')],
  ['POST', '/api/admin/mentions/:id/reply', need('update', 'Mention')],
  ['POST', '/api/admin/mentions/:id/ticket', need('update', 'Mention')],
  ['POST', '/api/admin/mentions/:id/ignore', need('update', 'Mention')],

  // Knowledge base.
  ['GET', '/admin/kb', need('read', 'KnowledgeBase')],
  ['GET', '/api/admin/kb', need('read', 'KnowledgeBase')],
  ['POST', '/api/admin/kb', need('create', 'KnowledgeBase')],
  ['PUT', '/api/admin/kb/:id', need('update', 'KnowledgeBase')],
  ['DELETE', '/api/admin/kb/:id', need('delete', 'KnowledgeBase')],
  ['POST', '/api/admin/kb/try', need('read', 'KnowledgeBase')],
  ['GET', '/api/admin/kb/versions', need('read', 'KnowledgeBase')],
  ['GET', '/api/admin/kb/versions/:version', need('read', 'KnowledgeBase')],
  ['POST', '/api/admin/kb/versions/:version/restore', need('update', 'KnowledgeBase')],
  ['GET', '/api/admin/kb/export.yaml', need('read', 'KnowledgeBase')],
  ['GET', '/api/admin/kb/stats', need('read', 'KnowledgeBase')],
  // The review queue: what the bot did not handle well, turned into paraphrases and entries.
  ['GET', '/api/admin/review', need('read', 'KnowledgeBase')],
  ['POST', '/api/admin/review/attach', need('update', 'KnowledgeBase')],
  ['POST', '/api/admin/review/create', need('create', 'KnowledgeBase')],
  ['POST', '/api/admin/review/dismiss', need('update', 'KnowledgeBase')],
  // Correcting a ticket's category teaches the category model: the centre's call, not an office's.
  ['POST', '/api/admin/tickets/:number/category', need('update', 'KnowledgeBase')],
  ['GET', '/api/admin/unanswered', need('read', 'KnowledgeBase')],

  // Reports, heat map, rates, spikes.
  ['GET', '/admin/reports', need('read', 'Report')],
  ['GET', '/admin/heatmap', need('read', 'Report')],
  ['GET', '/admin/rates', need('read', 'Report')],
  ['GET', '/admin/spikes', need('read', 'Report')],
  ['GET', '/api/admin/reports/:file', need('read', 'Report')],
  ['GET', '/api/admin/heatmap', need('read', 'Report')],
  ['GET', '/api/admin/heatmap.csv', need('read', 'Report')],
  ['GET', '/api/admin/rates', need('read', 'Report')],
  ['GET', '/api/admin/rates.csv', need('read', 'Report')],
  ['GET', '/api/admin/rates/callins.csv', need('read', 'Report')],
  ['GET', '/api/admin/spikes', need('read', 'Report')],
  ['POST', '/api/admin/spikes/check', need('update', 'Report')],

  // Problem lists (the console and the bearer API).
  ['GET', '/admin/problems', need('read', 'Problem')],
  ['GET', '/admin/problems/:id', need('read', 'Problem')],
  ...(['/api/admin/problems', '/api/problems'] as const).flatMap((base): RuleEntry[] => [
    ['GET', `${base}/suggestions`, need('read', 'Problem')],
    ['GET', base, need('read', 'Problem')],
    ['POST', base, need('create', 'Problem')],
    ['GET', `${base}/:id`, need('read', 'Problem')],
    ['PATCH', `${base}/:id`, need('update', 'Problem')],
    ['POST', `${base}/:id/tickets`, need('update', 'Problem')],
    ['POST', `${base}/:id/projects`, need('update', 'Problem')],
  ]),

  // Failed jobs and the queues board.
  ['GET', '/admin/dead-letters', need('read', 'DeadLetter')],
  ['GET', '/api/admin/dead-letters', need('read', 'DeadLetter')],
  ['POST', '/api/admin/dead-letters/tickets/:id/retry', need('update', 'DeadLetter')],
  ['POST', '/api/admin/dead-letters/hotline/:id/retry', need('update', 'DeadLetter')],
  ['GET', '/api/hotline/dead-letters', need('read', 'DeadLetter')],
  ['POST', '/api/hotline/dead-letters/:id/retry', need('update', 'DeadLetter')],
  ['*', '/admin/queues/*', need('manage', 'Queue')],

  // Staff accounts and the audit log (administrators).
  ['GET', '/admin/users', need('read', 'User')],
  ['GET', '/api/admin/users', need('read', 'User')],
  ['POST', '/api/admin/users', need('create', 'User')],
  ['POST', '/api/admin/users/:name/disable', need('update', 'User')],
  ['POST', '/api/admin/users/:name/password', need('update', 'User')],
  ['POST', '/api/admin/users/:name/tokens', need('update', 'User')],
  ['DELETE', '/api/admin/users/:name/tokens', need('update', 'User')],
  ['GET', '/admin/audit', need('read', 'AuditLog')],
  ['GET', '/api/admin/audit', need('read', 'AuditLog')],
  ['GET', '/api/admin/audit.csv', need('read', 'AuditLog')],
];

export interface MatchedRule {
  rule: RouteRule;
  /** The table's path (`/api/tickets/:number`), for the audit log. */
  path: string;
  params: Record<string, string>;
}

type Compiled = { method: Method; path: string; rule: RouteRule; test: (path: string) => Record<string, string> | undefined };

/**
 * The table's paths use only literal segments, `:name` segments (one segment each) and a final `/*`, so they
 * are matched segment by segment here rather than through a routing library the project does not depend on.
 */
function matcher(path: string): Compiled['test'] {
  const prefix = path.endsWith('/*');
  const parts = (prefix ? path.slice(0, -2) : path).split('/');
  return (given) => {
    // As express routes match: case-insensitively, with or without a trailing slash.
    const seg = (given.length > 1 && given.endsWith('/') ? given.slice(0, -1) : given).split('/');
    if (prefix ? seg.length < parts.length : seg.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].startsWith(':')) {
        if (!seg[i]) return undefined;
        try {
          params[parts[i].slice(1)] = decodeURIComponent(seg[i]);
        } catch {
          return undefined;
        }
      } else if (parts[i].toLowerCase() !== seg[i].toLowerCase()) return undefined;
    }
    return params;
  };
}

function compile(entries: readonly RuleEntry[]): Compiled[] {
  return entries.map(([method, path, rule]) => ({ method, path, rule, test: matcher(path) }));
}

/** Looks rules up by a request's method and path (first match wins); also by a route's own express path. */
export class RouteRules {
  private readonly compiled: Compiled[];
  constructor(private readonly entries: readonly RuleEntry[] = ROUTE_RULES) {
    this.compiled = compile(entries);
  }

  /** Whether a request path belongs to the staff side (and so needs a rule). */
  static isStaffPath(path: string): boolean {
    return STAFF_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}.`));
  }

  find(method: string, path: string): MatchedRule | undefined {
    const m = method === 'HEAD' ? 'GET' : method.toUpperCase();
    for (const c of this.compiled) {
      if (c.method !== '*' && c.method !== m) continue;
      const hit = c.test(path);
      if (hit) return { rule: c.rule, path: c.path, params: hit };
    }
    return undefined;
  }

  /** The rule declared for an express route (its path with `:params`), matched literally or under a prefix. */
  declaredFor(method: string, routePath: string): RouteRule | undefined {
    const m = method.toUpperCase();
    for (const [em, path, rule] of this.entries) {
      if (em !== '*' && em !== m) continue;
      if (path === routePath) return rule;
      if (path.endsWith('/*') && (routePath === path.slice(0, -2) || routePath.startsWith(path.slice(0, -1)))) return rule;
    }
    return undefined;
  }
}
