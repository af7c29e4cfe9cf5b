// The long-lived parts that the gateway and the worker process share: Redis, the ticket database, the queues
// and the channel registry. Built in one place so both processes are wired the same way.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, redactUrl, type Config } from './config.js';
import type { Logger } from './log.js';
import { resolveRedis, connectionOptions, failFastRedis, type ResolvedRedis } from './queue/redis.js';
import { openDatabase, type Database } from './tickets/db.js';
import { TicketStore } from './tickets/ticket-store.js';
import { createQueues, type Queues } from './queue/queues.js';
import { ChannelRegistry } from './core/channel-registry.js';
import { buildChannels, channelLabels, publicChannels } from '../channels/index.js';
import { registerSocialChannels } from './http/access/policy.js';
import { registerChannelLabels } from './reports/labels.js';
import { Metrics } from './http/metrics.js';
import { createTicketWorker } from './queue/ticket-worker.js';
import { createOutboundWorker } from './queue/outbound-worker.js';
import { createPhotoFetchQueue, enqueuePhotoFetch } from './queue/photo-fetch-queue.js';
import { createPhotoFetchWorker, remoteRefsOf } from './queue/photo-fetch-worker.js';
import { PhotoStore } from './tickets/photo-store.js';
import type { Worker } from 'bullmq';
import { createTicketServices, type TicketServices } from './ticket-services.js';
import type { ConversationStore } from './core/conversation-state.js';
import type { HandoffDesk } from './core/handoff-desk.js';
import type { IntakeMemory } from './core/intake-memory.js';
import { RedisIntakeMemory } from './queue/intake-memory.js';
import { RedisHandoffDesk } from './queue/handoff-desk.js';
import type { Reply } from './core/envelope.js';
import { replyTurn, type ConversationLog } from './core/conversation-log.js';
import { RedisConversationLog, TTL_DAYS } from './queue/conversation-log-redis.js';
import { createConversationWorker } from './queue/conversation-worker.js';
import { loadDialoguePrompts } from './core/dialogue/prompts.js';
import { createSpikeCheckQueue, scheduleSpikeCheck } from './queue/spike-check-queue.js';
import { createSpikeCheckWorker } from './queue/spike-check-worker.js';
import { createSpikeAlerter, staffAddressFrom } from './reports/spike-alerts.js';
import { createProblemCheckQueue, scheduleProblemCheck } from './queue/problem-check-queue.js';
import { createProblemCheckWorker } from './queue/problem-check-worker.js';
import { ProblemStore } from './tickets/problem-store.js';
import { enqueueHotlineProblem } from './queue/hotline-sync-queue.js';
import { loadDispatchTable } from './tickets/dispatch-table.js';
import { categoryLabel } from './reports/labels.js';

export interface Services {
  config: Config;
  log: Logger;
  redis: ResolvedRedis;
  database: Database;
  store: TicketStore;
  /** Citizens' pictures: bytes in the database, or in the PHOTO_S3_* bucket when configured. */
  photos: PhotoStore;
  /** Problem lists (举一反三): suggestions, problems, linked tickets, projects. */
  problems: ProblemStore;
  /** With the hotline configured: queues a changed problem's state for it; otherwise undefined. */
  problemChanged?: (id: number) => Promise<void>;
  /** Ticket lifecycle: dispatch, transitions and feedback, hotline sync, overdue checks (ticket-services.ts). */
  tickets: TicketServices;
  queues: Queues;
  channels: ChannelRegistry;
  metrics: Metrics;
  /** The intake's ledger, conversation state and flood control, on a Redis client that fails fast (request path). */
  intakeMemory: IntakeMemory;
  /** The conversations' state, as the expiry worker and the handoff actions read and change it (same keys). */
  conversations: ConversationStore;
  handoffs: HandoffDesk;
  /** Every conversation's recent turns, for the operators (best effort: a failed append is only logged). */
  conversationLog: ConversationLog;
  workers: Worker[];
  startWorkers(): void;
  close(): Promise<void>;
}

/** Says what a start is doing while it does it (the first start creates the embedded database, ~15 s). */
export type StartProgress = (line: string) => void;

export async function createServices(config: Config, log: Logger, progress: StartProgress = () => {}): Promise<Services> {
  progress(config.redisUrl ? `Connecting to Redis at ${redactUrl(config.redisUrl)}…` : 'Looking for Redis (127.0.0.1:6379, else redis-server from PATH)…');
  const redis = await resolveRedis(config, log);
  let database: Database | undefined;
  try {
    const pgliteDir = join(config.dataDir, 'pglite');
    progress(
      config.databaseUrl
        ? `Opening the ticket database at ${redactUrl(config.databaseUrl)}…`
        : existsSync(join(pgliteDir, 'PG_VERSION'))
          ? `Opening the embedded ticket database in ${pgliteDir}…`
          : `Creating the embedded ticket database in ${pgliteDir} (first start only, about 15 s)…`,
    );
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, owner: 'jiesu gateway', log });
    await database.migrate();
  } catch (err) {
    // Closing also releases the PGlite directory's lock.
    // Start failed: the error that stopped it is reported below; a close that fails too adds nothing.
    await database?.close().catch(() => {});
    await redis.stop();
    const where = config.databaseUrl ? `DATABASE_URL ${redactUrl(config.databaseUrl)}` : `the embedded database in ${config.dataDir}/pglite`;
    throw new ConfigError(`${where} is not usable: ${(err as Error).message}`);
  }
  const store = new TicketStore(database.db, config.timeZone);
  // The S3 client (a large SDK) is loaded only where photos go to S3.
  const photoBlobs = config.photoS3 ? new (await import('./photos/s3-photo-blobs.js')).S3PhotoBlobs(config.photoS3) : undefined;
  const photos = new PhotoStore(database.db, photoBlobs);
  const queues = createQueues(connectionOptions(redis.url, 'producer'), config.queuePrefix, { ticketAttempts: config.ticketAttempts, log });
  const tickets = createTicketServices({ config, log, db: database.db, store, photos, outbound: queues.outbound, tickets: queues.tickets, connection: connectionOptions(redis.url, 'producer') });
  const stateRedis = failFastRedis(redis.url, log, 'conversation state redis');
  // The transcript never outlives RETENTION_DAYS (the tickets' personal data does not either).
  const conversationLog = new RedisConversationLog(stateRedis, config.queuePrefix, config.retentionDays ? { ttlSeconds: Math.min(TTL_DAYS, config.retentionDays) * 86_400 } : {});
  const channels = new ChannelRegistry();
  const built = await buildChannels({ config, redisUrl: redis.url, conversationLog, log });
  registerChannelLabels(channelLabels());
  registerSocialChannels(publicChannels());
  for (const adapter of built.adapters) channels.register(adapter);
  const metrics = new Metrics(queues);
  const workers: Worker[] = [];
  // One owner of the ledger, state and flood-counter keys: the intake's memory and the conversation store.
  // Conversations live a little longer than their expiry, so the expiry job still finds what to file.
  const memory = new RedisIntakeMemory(stateRedis, {
    prefix: config.queuePrefix,
    stateTtlSeconds: Math.ceil(config.conversationTtlMs / 1000) + 600,
    senderLimitPerMinute: config.senderLimitPerMinute,
    clientLimitPerMinute: config.ipLimitPerMinute,
  }, conversationLog);
  const handoffs: HandoffDesk = new RedisHandoffDesk(stateRedis, config.queuePrefix);
  const logDelivered = (address: { channel: string; conversationId: string }, reply: Reply, id: string) =>
    conversationLog.append(address, [replyTurn(reply, id, new Date())]).catch((err: Error) => log.debug({ err: err.message }, 'conversation log append skipped'));
  const spikeChecks = createSpikeCheckQueue(connectionOptions(redis.url, 'producer'), config.queuePrefix, log);
  const photoFetch = createPhotoFetchQueue(connectionOptions(redis.url, 'producer'), config.queuePrefix, log);
  const problemChecks = createProblemCheckQueue(connectionOptions(redis.url, 'producer'), config.queuePrefix, log);
  const problems = new ProblemStore(database.db);
  const hotlineSync = tickets.hotlineSync;
  const syncProblem = config.hotline && hotlineSync ? (p: { id: number; updatedAt: Date }) => enqueueHotlineProblem(hotlineSync, config.hotline!, p) : undefined;
  const problemChanged = syncProblem
    ? async (id: number) => {
        const p = await problems.get(id);
        if (p) await syncProblem(p);
      }
    : undefined;

  const services: Services = {
    config,
    log,
    redis,
    database,
    store,
    photos,
    problems,
    ...(problemChanged ? { problemChanged } : {}),
    tickets,
    queues,
    channels,
    metrics,
    intakeMemory: memory,
    conversations: memory,
    handoffs,
    conversationLog,
    workers,
    startWorkers() {
      const conn = connectionOptions(redis.url, 'worker');
      workers.push(
        ...tickets.startWorkers(conn),
        createTicketWorker(conn, config.queuePrefix, config.ticketConcurrency, config.workerLockMs, {
          store,
          outbound: queues.outbound,
          timeZone: config.timeZone,
          log,
          ...tickets.ticketWorkerDeps,
          deliverNow: async (deliveries) => {
            const delivered = await channels.deliverLocally(deliveries);
            // A local delivery is itself an append to the conversation log (ChannelAdapter.deliverLocally).
            delivered.forEach((ok, i) => ok && metrics.outbound.inc({ channel: deliveries[i].address.channel, result: 'delivered' }));
            return delivered;
          },
          onTicket: (ticket, created, job) => {
            if (!created) return;
            // Pictures the platform holds are downloaded now, before its links expire.
            if (remoteRefsOf(ticket.details).length && channels.attachmentFetcher(ticket.channel)) {
              enqueuePhotoFetch(photoFetch, ticket.number).catch((err: Error) => log.warn({ number: ticket.number, err: err.message }, 'photo fetch not queued; the ticket keeps the platform links'));
            }
            metrics.ticketsCreated.inc({ channel: ticket.channel });
            metrics.ticketLatency.observe((Date.now() - new Date(job.data.message.receivedAt).getTime()) / 1000);
          },
        }),
        createOutboundWorker(conn, config.queuePrefix, config.outboundConcurrency, config.workerLockMs, {
          channels,
          log,
          onDelivered: (job) => {
            metrics.outbound.inc({ channel: job.data.address.channel, result: 'delivered' });
            const { address, reply } = job.data;
            if (!channels.deliversLocally(address.channel)) void logDelivered(address, reply, reply.id ?? job.id ?? '');
          },
          onFailed: (job) => metrics.outbound.inc({ channel: job?.data.address.channel ?? 'unknown', result: 'failed' }),
        }),
        createConversationWorker(conn, config.queuePrefix, config.workerLockMs, {
          conversations: memory,
          tickets: queues.tickets,
          outbound: queues.outbound,
          prompts: loadDialoguePrompts(),
          log,
        }),
        createPhotoFetchWorker(conn, config.queuePrefix, config.workerLockMs, { store, photos, fetcher: (c) => channels.attachmentFetcher(c), log }),
        createSpikeCheckWorker(conn, config.queuePrefix, config.workerLockMs, { alerter: createSpikeAlerter(config, database.db, queues.outbound), log }),
      );
      scheduleSpikeCheck(spikeChecks, config.spikeCheckMs).catch((err: Error) => log.warn({ err: err.message }, 'could not schedule the spike check; retried at next start'));
      workers.push(
        createProblemCheckWorker(conn, config.queuePrefix, config.workerLockMs, {
          problems,
          bars: loadDispatchTable().file.clustering,
          label: categoryLabel,
          staff: staffAddressFrom(config.staffAlert),
          outbound: queues.outbound,
          ...(syncProblem ? { syncProblem } : {}),
          log,
        }),
      );
      scheduleProblemCheck(problemChecks, config.problemCheckMs).catch((err: Error) => log.warn({ err: err.message }, 'could not schedule the problem check; retried at next start'));
    },
    async close() {
      // Workers first: close() waits for in-flight jobs to finish, so nothing is left half done.
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled(channels.all().map((c) => c.stop()));
      built.close();
      await tickets.close();
      // Shutting down: a queue or pool that cannot close cleanly (its connection already gone) has nothing left to lose.
      await spikeChecks.close().catch(() => {});
      await photoFetch.close().catch(() => {});
      await problemChecks.close().catch(() => {});
      await queues.close().catch(() => {});
      await database.close().catch(() => {});
      photoBlobs?.close();
      stateRedis.disconnect();
      await redis.stop();
    },
  };
  return services;
}

