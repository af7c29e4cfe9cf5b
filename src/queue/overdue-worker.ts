// The `overdue` worker: one supervision tick — flag overdue tickets and late reports of called-in units
// (event + staff alert), sweep the feedback
// and hotline outboxes for events whose writer died before queueing them, record ticket jobs that failed for
// good as dead letters, and apply the retention setting.
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { workerOptions } from './queues.js';
import { OVERDUE_QUEUE, type OverdueJob } from './overdue-queue.js';
import { flagOverdue } from '../tickets/overdue.js';
import { redactClosedTickets } from '../tickets/retention.js';
import type { TicketNotifier } from '../tickets/notifier.js';
import type { HotlineOutbox } from '../tickets/hotline-outbox.js';
import type { Db } from '../tickets/db.js';
import type { PhotoStore } from '../tickets/photo-store.js';
import type { JointHandling } from '../tickets/joint-handling.js';
import type { Logger } from '../log.js';

export interface OverdueWorkerDeps {
  db: Db;
  notifier: TicketNotifier;
  /** Present when HOTLINE_URL is set. */
  hotlineOutbox?: HotlineOutbox;
  /** Failed ticket jobs not yet recorded as dead letters (src/queue/ticket-dead-letters.ts). */
  deadLetters?: { sweep(): Promise<number> };
  /** Call-ins whose report (报到) is past its limit are flagged like overdue tickets. */
  jointHandling?: Pick<JointHandling, 'flagLate'>;
  /** Where retention removes the redacted tickets' photos from (bytes in the database or the photo bucket). */
  photos?: PhotoStore;
  log: Logger;
  now?: () => Date;
  /** Closed tickets lose their personal fields after this many days (unset: kept). */
  retentionDays?: number;
}

export async function runSupervisionTick(deps: OverdueWorkerDeps): Promise<{ flagged: number; swept: number; redacted: number }> {
  const now = deps.now?.() ?? new Date();
  const events = await flagOverdue(deps.db, now);
  if (events.length) deps.log.info({ flagged: events.length }, 'tickets overdue');
  const late = (await deps.jointHandling?.flagLate(now)) ?? [];
  if (late.length) deps.log.info({ late: late.length }, 'called-in units late to report');
  await deps.notifier.flush([...events, ...late]);
  const swept = await deps.notifier.sweep();
  await deps.hotlineOutbox?.sweep();
  await deps.deadLetters?.sweep();
  const redacted = deps.retentionDays === undefined ? 0 : await redactClosedTickets(deps.db, now, deps.retentionDays, { ...(deps.photos ? { photos: deps.photos } : {}) });
  if (redacted) deps.log.info({ redacted }, 'personal fields of closed tickets removed');
  return { flagged: events.length, swept, redacted };
}

export function createOverdueWorker(connection: ConnectionOptions, prefix: string, lockMs: number, deps: OverdueWorkerDeps): Worker<OverdueJob> {
  const worker = new Worker<OverdueJob>(OVERDUE_QUEUE, (_job: Job<OverdueJob>) => runSupervisionTick(deps), { connection, prefix, concurrency: 1, ...workerOptions(lockMs) });
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'overdue worker error'));
  worker.on('failed', (_job, err) => deps.log.warn({ err: err.message }, 'overdue check failed; the next tick tries again'));
  return worker;
}
