// The operators' console and its JSON API, mounted by the gateway with one call:
//
//   api.use(adminRoutes({ config, services, nlu, auth, knowledge }));
//
// Pages under /admin (login, tickets, 转人工, knowledge base, reports, heat map, rates, spikes, problem lists,
// failed jobs, queues, staff accounts, audit log), JSON under
// /api/admin, static assets under /admin/static and /admin/vendor. The periodic spike check that raises the
// alerts shown here is a scheduled job (src/queue/spike-check-queue.ts), run once per period by any worker.
import express from 'express';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packagePath } from '../../package-root.js';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import type { Services } from '../../services.js';
import type { Nlu } from '../../nlu/decision.js';
import { bodyErrorHandler, sendError } from '../http-errors.js';
import { createSpikeAlerter } from '../../reports/spike-alerts.js';
import { loadSession, requireApiSession, sessionOf, type StaffAuth } from './require-session.js';
import type { Session } from './session-store.js';
import { authRoutes } from './auth-routes.js';
import { pageRoutes } from './pages.js';
import { ticketsRoutes } from './tickets-routes.js';
import { UnansweredLog, type Handled } from './unanswered.js';
import { kbRoutes, type KbRoutesDeps } from './kb-routes.js';
import { reportsRoutes } from './reports-routes.js';
import { metaRoutes } from './meta-routes.js';
import { queuesBoard } from './queues-board.js';
import { deadLettersRoutes } from './dead-letters-routes.js';
import { handoffRoutes, type HandoffActions } from '../handoff-actions.js';
import { inboxRoutes, ticketConversationRoutes, type InboxDeps } from '../inbox/index.js';
import { problemRoutes } from '../problem-routes.js';
import { ProblemStore } from '../../tickets/problem-store.js';
import type { TicketScope } from '../access/ticket-scope.js';
import type { AuditLog } from '../../tickets/audit-log.js';
import { actorLabel } from '../access/authorize.js';
import type { StaffStore } from '../../tickets/staff-store.js';
import { usersRoutes } from './users-routes.js';
import { auditRoutes } from './audit-routes.js';
import { staffPhotoRoutes } from '../photo-routes.js';

export { UnansweredLog } from './unanswered.js';

const PUBLIC_DIR = packagePath('src', 'http', 'admin', 'public');
const ECHARTS_FILE = join(dirname(createRequire(import.meta.url).resolve('echarts/package.json')), 'dist', 'echarts.min.js');

export interface AdminDeps {
  config: Config;
  services: Pick<Services, 'database' | 'store' | 'photos' | 'queues' | 'log'> & { tickets?: Services['tickets'] };
  nlu: Nlu;
  /** Sessions in Redis, who may log in, the admin token (shared with the mentions console). */
  auth: StaffAuth;
  /** The knowledge base in the database, its editor (eval before publishing), ratings and category corrections. */
  knowledge: Omit<KbRoutesDeps, 'nlu' | 'unanswered' | 'db' | 'now'>;
  now?: () => Date;
  /** Told after a problem changes (the hotline sync, when configured). */
  problemChanged?: (id: number) => Promise<void>;
  /** 转人工: the same actions as the bearer API (src/http/handoff-actions.ts), here behind the console session. */
  handoffs?: HandoffActions;
  /** The agent inbox (claims, notes, canned replies, the transcript), beside the handoff actions. */
  inbox?: InboxDeps;
  /** Who reaches which tickets, and the staff audit log (src/http/access); the gateway's authorize uses the same. */
  access?: { scope: TicketScope; audit: AuditLog };
  /** Staff accounts for the users page (the same store `jiesu users` writes), and the units one may be bound to. */
  staff?: { store: StaffStore; units: readonly string[] };
}

export interface AdminRouter extends express.Router {
  /** For the intake's observe hook: records a question the bot could not answer (best effort). */
  recordUnanswered(text: string, decision: Parameters<UnansweredLog['record']>[1], channel?: string, handled?: Handled): Promise<void>;
}

export function adminRoutes(deps: AdminDeps): AdminRouter {
  const { config, services, nlu } = deps;
  const now = deps.now ?? (() => new Date());
  const log = services.log.child({ part: 'admin' });
  const db = services.database.db;
  // BullMQ's own producer connection serves the console's few Redis reads and writes (alerts, unanswered).
  const redis = () => services.queues.outbound.getBackend().client as unknown as Promise<Redis>;
  const alerter = createSpikeAlerter(config, db, services.queues.outbound);
  const unanswered = new UnansweredLog(redis, config.queuePrefix);

  const r = express.Router() as AdminRouter;
  r.use('/admin/static', express.static(PUBLIC_DIR, { index: false, maxAge: '10m' }));
  r.get('/admin/vendor/echarts.min.js', (_req, res) => res.sendFile(ECHARTS_FILE, { maxAge: '7d' }));

  if (!config.adminToken && !deps.auth.credentials.hasUsers) {
    // Fails closed: with no token and no users nobody can log in.
    log.warn('admin console disabled: set ADMIN_TOKEN or ADMIN_USERS');
    r.use(['/admin', '/api/admin'], (_req, res) => sendError(res, 503, 'admin_disabled', 'the console needs ADMIN_TOKEN or ADMIN_USERS'));
  } else {
    r.use(['/admin', '/api/admin'], loadSession(deps.auth));
    r.use(authRoutes(deps.auth));
    const queues: Queue[] = [services.queues.tickets, services.queues.outbound];
    if (services.tickets?.overdue) queues.push(services.tickets.overdue as unknown as Queue);
    if (services.tickets?.hotlineSync) queues.push(services.tickets.hotlineSync as unknown as Queue);
    r.use(queuesBoard(queues));
    r.use(pageRoutes({ timeZone: config.timeZone }));
    r.use('/api/admin', requireApiSession);
    r.get('/api/admin/session', (_req, res) => {
      const { user, role, unit, csrf } = res.locals.adminSession as Session;
      res.json({ user, role, ...(unit ? { unit } : {}), csrf });
    });
    r.use(metaRoutes());
    const photos = services.photos;
    r.use(ticketsRoutes({ db, store: services.store, lifecycle: services.tickets?.lifecycle, joint: services.tickets?.jointHandling, timeZone: config.timeZone, now, photos, ...deps.access }));
    r.use(staffPhotoRoutes(photos));
    r.use(kbRoutes({ ...deps.knowledge, nlu, unanswered, db, now }));
    r.use(reportsRoutes({ db, timeZone: config.timeZone, now, alerter, chromiumPath: config.chromiumPath, searchPath: config.searchPath }));
    r.use(deadLettersRoutes({ deadLetters: services.tickets?.deadLetters, store: services.tickets?.deadLetterStore, hotlineSync: services.tickets?.hotlineSync }));
    r.use(problemRoutes('/api/admin/problems', { problems: new ProblemStore(db), now, actor: (res) => actorLabel(res, `operator:${sessionOf(res)?.user ?? 'admin'}`), changed: deps.problemChanged }));
    if (deps.inbox) r.use(ticketConversationRoutes({ store: services.store, conversationLog: deps.inbox.conversationLog, notes: deps.inbox.notes, photos }));
    if (deps.staff) r.use(usersRoutes({ staff: deps.staff.store, sessions: deps.auth.sessions, units: deps.staff.units }));
    if (deps.access) r.use(auditRoutes({ audit: deps.access.audit, timeZone: config.timeZone }));
    if (deps.handoffs) r.use(handoffRoutes('/api/admin/console/handoffs', deps.handoffs));
    if (deps.handoffs && deps.inbox) r.use(inboxRoutes('/api/admin/console/handoffs', deps.inbox));
    else r.use('/api/admin/console/handoffs', (_req, res) => sendError(res, 503, 'handoffs_unavailable', 'this console was started without the handoff desk'));
    r.use('/api/admin', bodyErrorHandler);
  }

  r.recordUnanswered = (text, decision, channel, handled) => unanswered.record(text, decision, channel, handled);
  return r;
}
