// Part of the composition root (with services.ts): the ticket lifecycle's long-lived parts, built once per
// process — the dispatch table, transitions and their notifier (and hotline outbox), the `hotline-sync` and
// `overdue` queues and workers, and what the `tickets` worker needs for dispatch, hotline sync and citizen
// commands. src/tickets holds the domain; the queues and workers that carry it are wired here.
import type { ConnectionOptions, Job, Queue, Worker } from 'bullmq';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { Db } from './tickets/db.js';
import type { TicketStore } from './tickets/ticket-store.js';
import type { CommandJob, OutboundJob, TicketJob } from './queue/queues.js';
import type { Address, ChannelName } from './core/envelope.js';
import { loadDispatchTable, type DispatchTable } from './tickets/dispatch-table.js';
import { TicketTransitions } from './tickets/ticket-transitions.js';
import { TicketNotifier } from './tickets/notifier.js';
import { TicketLifecycle } from './tickets/ticket-lifecycle.js';
import { handleCitizenCommand } from './tickets/citizen-command-handler.js';
import { ProblemStore } from './tickets/problem-store.js';
import { createHotlineSyncQueue, enqueueHotlineSync, hotlineSyncPort, type HotlineSyncJob } from './queue/hotline-sync-queue.js';
import { HotlineOutbox } from './tickets/hotline-outbox.js';
import { createHotlineSyncWorker } from './queue/hotline-sync-worker.js';
import { createOverdueQueue, scheduleOverdueCheck, type OverdueJob } from './queue/overdue-queue.js';
import { createOverdueWorker } from './queue/overdue-worker.js';
import { DeadLetterStore } from './tickets/dead-letter-store.js';
import { TicketDeadLetters } from './queue/ticket-dead-letters.js';
import { hotlinePhotoLinks } from './tickets/hotline-photo-links.js';
import type { PhotoStore } from './tickets/photo-store.js';
import { JointHandling } from './tickets/joint-handling.js';

export interface TicketServicesDeps {
  config: Config;
  log: Logger;
  db: Db;
  store: TicketStore;
  /** The photos retention removes with a closed ticket's personal fields. */
  photos: PhotoStore;
  outbound: Queue<OutboundJob>;
  /** The `tickets` queue: its jobs that fail for good become dead letters, and are retried into it. */
  tickets: Queue<TicketJob | CommandJob>;
  /** Producer connection for the new queues. */
  connection: ConnectionOptions;
}

export interface TicketServices {
  table: DispatchTable;
  transitions: TicketTransitions;
  notifier: TicketNotifier;
  lifecycle: TicketLifecycle;
  /** 吹哨报到: units called in to tickets, and their reports. */
  jointHandling: JointHandling;
  /** Present when HOTLINE_URL is set. */
  hotlineSync?: Queue<HotlineSyncJob>;
  overdue: Queue<OverdueJob>;
  /** Ticket jobs that could not be stored after all attempts: recorded, announced, retried from the console. */
  deadLetters: TicketDeadLetters;
  deadLetterStore: DeadLetterStore;
  /** Spread into the `tickets` worker's deps. */
  ticketWorkerDeps: {
    dispatchTable: DispatchTable;
    enqueueHotlineSync?(number: string): Promise<void>;
    handleCommand(job: Job<CommandJob>): Promise<unknown>;
    /** Where new 2-hour tickets are announced to staff (STAFF_ALERT_CHANNEL), if configured. */
    staffAddress?: Address;
    categoryName(id: string): string;
    deadLetters: TicketDeadLetters;
  };
  /** Starts the hotline-sync and overdue workers (and the overdue schedule) on a worker connection. */
  startWorkers(connection: ConnectionOptions): Worker[];
  close(): Promise<void>;
}

export function createTicketServices(deps: TicketServicesDeps): TicketServices {
  const { config, log, db, store, photos, outbound, connection } = deps;
  const table = loadDispatchTable();
  const hotline = config.hotline;
  const hotlineSync = hotline ? createHotlineSyncQueue(connection, config.queuePrefix, log) : undefined;
  const hotlineOutbox = hotline && hotlineSync ? new HotlineOutbox({ db, queue: hotlineSyncPort(hotlineSync, hotline) }) : undefined;
  const transitions = new TicketTransitions(db, undefined, { hotlineOutbox: hotlineOutbox !== undefined });
  const staffAddress = config.staffAlert ? { channel: config.staffAlert.channel as ChannelName, conversationId: config.staffAlert.conversationId } : undefined;
  const categoryName = (id: string) => table.file.categories[id]?.name ?? id;
  const notifier = new TicketNotifier({ db, outbound, timeZone: config.timeZone, log, categoryName, ...(staffAddress ? { staffAddress } : {}) });
  const lifecycle = new TicketLifecycle(transitions, notifier, log, hotlineOutbox);
  const jointHandling = new JointHandling({ db, table, deliver: (events) => lifecycle.deliver(events), hotlineOutbox: hotlineOutbox !== undefined });
  const overdue = createOverdueQueue(connection, config.queuePrefix, log);
  const deadLetterStore = new DeadLetterStore(db);
  const deadLetters = new TicketDeadLetters({
    store: deadLetterStore,
    tickets: deps.tickets,
    outbound,
    categoryName,
    log,
    ...(staffAddress ? { staffAddress } : {}),
  });

  return {
    table,
    transitions,
    notifier,
    lifecycle,
    jointHandling,
    hotlineSync,
    overdue,
    deadLetters,
    deadLetterStore,
    ticketWorkerDeps: {
      dispatchTable: table,
      ...(hotline && hotlineSync ? { enqueueHotlineSync: (number: string) => enqueueHotlineSync(hotlineSync, hotline, number) } : {}),
      handleCommand: (job) => handleCitizenCommand(job, { store, lifecycle, outbound, timeZone: config.timeZone }),
      ...(staffAddress ? { staffAddress } : {}),
      categoryName,
      deadLetters,
    },
    startWorkers(conn) {
      const workers: Worker[] = [createOverdueWorker(conn, config.queuePrefix, config.workerLockMs, { db, notifier, hotlineOutbox, deadLetters, jointHandling, photos, log, retentionDays: config.retentionDays })];
      if (hotline && hotlineOutbox) workers.push(createHotlineSyncWorker(conn, config.queuePrefix, config.workerLockMs, { store, outbox: hotlineOutbox, options: hotline, problems: new ProblemStore(db), log, ...hotlinePhotoLinks(photos, hotline.secret, config.publicUrl) }));
      scheduleOverdueCheck(overdue, config.overdueCheckMs).catch((err: Error) => log.warn({ err: err.message }, 'could not schedule the overdue check; retried at next start'));
      return workers;
    },
    async close() {
      await Promise.allSettled([hotlineSync?.close(), overdue.close()]);
    },
  };
}
