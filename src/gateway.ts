// The gateway process: HTTP (webhooks, widget, API), the channels' intake, and — unless RUN_WORKERS=0 — the
// queue workers too, so `npm start` is the whole system in one process.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { failFastRedis } from './queue/redis.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createServices, type Services, type StartProgress } from './services.js';
import { createHttpApp, finishHttpApp } from './http/http-app.js';
import { problemsApi } from './http/problems-api.js';
import { ticketsApi } from './http/tickets-api.js';
import { hotlineCallbackRouter } from './http/hotline-callback.js';
import { hotlineDeadLettersRouter } from './http/hotline-dead-letters.js';
import { parseCitizenCommand } from './tickets/citizen-commands.js';
import { healthRoutes, startMetricsServer } from './http/health.js';
import { AuthThrottle } from './http/auth-throttle.js';
import { upgradeOriginAllowed } from './http/upgrade-origin.js';
import { SessionStore } from './http/admin/session-store.js';
import { StaffCredentials } from './http/admin/staff-credentials.js';
import type { BearerToken } from './http/admin-auth.js';
import { StaffStore } from './tickets/staff-store.js';
import { loadDispatchTable } from './tickets/dispatch-table.js';
import { knownUnits } from './tickets/dispatch.js';
import type { StaffAuth } from './http/admin/require-session.js';
import { authorize } from './http/access/authorize.js';
import { calledIn, ticketScope } from './http/access/ticket-scope.js';
import { AuditLog } from './tickets/audit-log.js';
import { handoffApi } from './http/handoff-api.js';
import { createAgentInbox } from './http/inbox/index.js';
import { photoUploadRoutes } from './http/photo-upload.js';
import { signedPhotoRoutes } from './http/photo-routes.js';
import { channelConsoleRoutes } from '../channels/index.js';
import { adminRoutes } from './http/admin/index.js';
import { IntakePipeline } from './core/intake.js';
import { RedisFaqStats } from './queue/faq-stats.js';
import { loadDialoguePrompts } from './core/dialogue/prompts.js';
import { inWorkingHours } from './core/working-hours.js';
import { withTimeout } from './core/with-timeout.js';
import { jobIdFor } from './core/job-id.js';
import { RedisLeadership } from './queue/leader-lock.js';
import type { UpgradeHandler } from './core/channel-adapter.js';
import type { OutboundQueue } from './core/jobs.js';
import type { Nlu } from './nlu/decision.js';
import { createNlu } from './nlu/index.js';
import { loadKb } from './nlu/kb.js';
import { KbStore } from './tickets/kb-store.js';
import { CategoryCorrections } from './tickets/category-corrections.js';
import { correctionsSource, kbSource } from './tickets/knowledge-sources.js';
import { KnowledgeSync, announceKnowledgeChange } from './queue/knowledge-sync.js';
import { KbEditor } from './http/admin/kb-editor.js';
import { evalCasesFrom } from './http/admin/eval-cases.js';
import { ConfigError } from './config.js';

export interface Gateway {
  url: string;
  port: number;
  services: Services;
  nlu: Nlu;
  intake: IntakePipeline;
  server: Server;
  /** The METRICS_PORT listener's URL (127.0.0.1), when configured. */
  metricsUrl?: string;
  /** The express app, whose router lists every route (the HTTP surface's tests walk it). */
  app: Express;
  stop(): Promise<void>;
}

/** How long a complaint may wait for Redis to take its job before the channel is told to retry. */
const ENQUEUE_DEADLINE_MS = 3000;

export async function startGateway(config: Config, log: Logger, opts: { nlu?: Nlu; progress?: StartProgress } = {}): Promise<Gateway> {
  opts.progress?.('Loading the knowledge base and the Chinese word segmenter…');
  const nlu = opts.nlu ?? (await createNlu({ kbPath: config.kbPath, timeZone: config.timeZone }));
  const services = await createServices(config, log, opts.progress);
  const { queues, metrics, channels } = services;
  await queues.tickets.waitUntilReady();

  // Fail-fast client for the request path's Redis reads and writes (FAQ counts, console sessions, health).
  const fast = failFastRedis(services.redis.url, log, 'intake redis');

  // The knowledge base lives in the database (seeded from KB_PATH when it holds none); every gateway serves its
  // newest version and the category model learns every correction, reloading when another gateway announces one.
  const kbStore = new KbStore(services.database.db);
  const corrections = new CategoryCorrections(services.database.db);
  const kb = kbSource(kbStore, nlu, { entries: () => loadKb(config.kbPath), from: config.kbPath });
  const knowledgeSync = new KnowledgeSync([kb, correctionsSource(corrections, nlu)], { redisUrl: services.redis.url, prefix: config.queuePrefix, log });
  try {
    await knowledgeSync.start();
  } catch (err) {
    await knowledgeSync.close();
    await services.close();
    fast.disconnect();
    throw new ConfigError(`the knowledge base could not be loaded: ${(err as Error).message}`);
  }
  const evalCases = evalCasesFrom(config.kbEvalCases);
  if (config.kbEvalCases) {
    try {
      evalCases();
    } catch (err) {
      await knowledgeSync.close();
      await services.close();
      fast.disconnect();
      throw new ConfigError(`KB_EVAL_CASES: ${(err as Error).message}`);
    }
  }
  const kbEditor = new KbEditor({
    store: kbStore,
    nlu,
    cases: evalCases,
    refresh: () => knowledgeSync.refresh(),
    announce: () => announceKnowledgeChange(fast, config.queuePrefix, 'kb'),
    served: kb.served,
  });

  const prompts = loadDialoguePrompts();
  const faqStats = new RedisFaqStats(fast, config.queuePrefix);

  // Staff credentials: console sessions in Redis (shared by every gateway), who may log in, and one throttle
  // for wrong passwords and wrong bearer tokens alike.
  // The fail-fast client refuses commands until connected; the sweep below and the first logins need it.
  // Not ready in 3 s: start anyway (the client's watcher has logged the outage, and it connects when Redis is back).
  if (fast.status !== 'ready') await withTimeout(new Promise((r) => fast.once('ready', r)), 3000, 'redis ready').catch(() => {});
  const throttle = new AuthThrottle(fast, config.queuePrefix);
  // Staff accounts live in the ticket database; their API tokens are accepted wherever ADMIN_TOKEN is.
  const units = knownUnits(loadDispatchTable());
  const accounts = new StaffStore(services.database.db, { isKnownUnit: (u) => units.has(u) });
  const credentials = new StaffCredentials(config.adminToken, config.adminUsers, accounts);
  const adminBearer: BearerToken = { token: config.adminToken, throttle, accounts: (token) => credentials.verifyToken(token) };
  const auth: StaffAuth = { sessions: new SessionStore(fast, config.queuePrefix), credentials, admin: adminBearer };
  // A password changed or a user removed in this configuration ends their sessions on every gateway now.
  const revoked = await auth.sessions.revokeStale((s) => auth.credentials.stillValid(s)).catch((err: Error) => {
    log.warn({ err: err.message }, 'stale console sessions not swept (each is refused when used)');
    return 0;
  });
  if (revoked) log.info({ revoked }, 'console sessions of changed or removed credentials ended');

  // 转人工: one set of actions behind two doors — the bearer-token API for scripts, the console for people.
  const { actions: handoffs, inbox } = createAgentInbox({ config, services, redis: fast, prompts, nlu, accounts });
  // Who may do what (issue 17): one door in front of every staff route (mounted below); the routers keep their own login checks.
  const access = { scope: ticketScope({ reaches: [calledIn] }), audit: new AuditLog(services.database.db) };
  const admin = adminRoutes({
    config,
    services,
    nlu,
    auth,
    handoffs,
    inbox,
    problemChanged: services.problemChanged,
    access,
    staff: { store: accounts, units: [...units].sort((a, b) => a.localeCompare(b, 'zh')) },
    knowledge: {
      store: kbStore,
      editor: kbEditor,
      stats: faqStats,
      corrections,
      correctionsChanged: async () => {
        await knowledgeSync.refresh();
        await announceKnowledgeChange(fast, config.queuePrefix, 'categories');
      },
    },
  });

  const intake = new IntakePipeline({
    nlu,
    log,
    dialogue: {
      prompts,
      categoryName: (id, lang) => prompts[lang].categories[id] ?? id,
      inWorkingHours: (now) => inWorkingHours(now, config.workingHours, config.timeZone),
      workingHours: config.workingHours,
      confirmComplaints: config.confirmComplaints,
    },
    memory: services.intakeMemory,
    handoffs: services.handoffs,
    faqStats,
    enqueueExpiry: async (job) => {
      const id = jobIdFor(`expire:${job.channel}:${job.conversationId}:${job.version}`);
      await withTimeout(queues.conversations.add('expire', job, { jobId: id, delay: config.conversationTtlMs }), ENQUEUE_DEADLINE_MS, 'enqueue expiry');
    },
    enqueueTicket: async (job, messageId) => {
      await withTimeout(queues.tickets.add('ticket', job, { jobId: jobIdFor(messageId) }), ENQUEUE_DEADLINE_MS, 'enqueue ticket');
    },
    parseCommand: parseCitizenCommand,
    enqueueCommand: async (job, messageId) => {
      await withTimeout(queues.tickets.add('command', job, { jobId: jobIdFor(messageId) }), ENQUEUE_DEADLINE_MS, 'enqueue command');
    },
    observeDuration: (message, result, seconds) => metrics.intakeSeconds.observe({ channel: message.channel, status: result.status }, seconds),
    observe: (message, result, decision) => {
      metrics.intake.inc({ channel: message.channel, outcome: result.duplicate ? 'duplicate' : result.status, kind: decision?.kind ?? 'none' });
      // Questions the knowledge base could not answer, for operators to turn into new entries.
      if (decision && !result.duplicate)
        admin
          .recordUnanswered(message.text, decision, message.channel, { action: message.action, replies: result.replies })
          .catch((err: Error) => log.debug({ err: err.message }, 'unanswered question not recorded'));
    },
  });

  const { app, api, channels: channelRouter, raw } = createHttpApp({ corsOrigins: config.corsOrigins, trustProxy: config.trustProxy, log });
  api.use(healthRoutes({ redis: fast, database: services.database, metrics, ...(config.metrics.token ? { metricsToken: { token: config.metrics.token, throttle, name: 'METRICS_TOKEN' } } : {}) }));
  api.use(authorize({ auth, db: services.database.db, ...access, log, timeZone: config.timeZone }));
  api.use(ticketsApi({ store: services.store, lifecycle: services.tickets.lifecycle, joint: services.tickets.jointHandling, scope: access.scope }, adminBearer));
  api.use(problemsApi(services.problems, adminBearer, services.problemChanged));
  api.use(hotlineCallbackRouter({ lifecycle: services.tickets.lifecycle, secret: config.hotlineSecret, redis: fast, prefix: config.queuePrefix, log }));
  api.use(hotlineDeadLettersRouter(services.tickets.hotlineSync, adminBearer));
  api.use(handoffApi({ desk: services.handoffs, conversations: services.conversations, outbound: queues.outbound, prompts, adminToken: adminBearer, actions: handoffs, inbox }));
  for (const routes of channelConsoleRoutes({ services, redis: fast, nlu, auth })) api.use(routes);
  // Citizens' pictures: the widget's uploads, and signed links for the hotline system.
  const photos = services.photos;
  api.use(photoUploadRoutes({ photos, redis: fast, prefix: config.queuePrefix }));
  api.use(signedPhotoRoutes(photos, config.hotlineSecret));
  api.use(admin);

  const upgrades = new Map<string, UpgradeHandler>();
  // Pollers run on one gateway at a time; a lost lock stops them at once, so the fail-fast client suits it.
  const leadership = new RedisLeadership(fast, config.queuePrefix, log);
  const outbound: OutboundQueue = {
    add: async (job, jobId) => {
      await queues.outbound.add('reply', job, { jobId });
    },
    ready: () => queues.outbound.waitUntilReady().then(() => {}),
  };
  for (const adapter of channels.all()) {
    await adapter.start({
      intake,
      router: channelRouter,
      rawPost: (path, handler, limit) => raw.post(path, handler, limit),
      log: log.child({ channel: adapter.name }),
      onUpgrade: (path, h) => upgrades.set(path, h),
      leadership,
      outbound,
    });
  }
  finishHttpApp(app, api, log);

  // The channels' raw POST routes first (the plain case of their hot path), express for everything else.
  const server = createServer((req, res) => {
    if (!raw.dispatch(req, res)) app(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = upgrades.get(path);
    if (handler && !upgradeOriginAllowed(req, config.corsOrigins)) socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nthis origin may not open a socket here\n');
    else if (handler) handler(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  // Keep-alive longer than a load balancer's idle timeout, so it never reuses a socket we are closing.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const metricsServer = config.metrics.port !== undefined ? await startMetricsServer(metrics, config.metrics.port) : undefined;
  if (config.runWorkers) services.startWorkers();
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  log.info({ url, redis: services.redis.source, db: services.database.kind, workers: config.runWorkers, kb: nlu.size }, 'gateway listening');

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    services,
    nlu,
    intake,
    server,
    ...(metricsServer ? { metricsUrl: `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}` } : {}),
    app,
    stop: () =>
      (stopping ??= (async () => {
        // Stop intake first (no new requests), then drain the workers' in-flight jobs, then close connections.
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
        metricsServer?.close();
        metricsServer?.closeAllConnections();
        await knowledgeSync.close();
        await services.close();
        await closed;
        // Counts not flushed within a second at shutdown are lost: they are statistics, not citizens' messages.
        await withTimeout(faqStats.flush(), 1000, 'faq stats').catch(() => {});
        fast.disconnect();
      })()),
  };
}
