// The `hotline-sync` queue: one job per new ticket ('ticket'), and one per status change made here that the
// hotline must hear about ('event', from the outbox in src/tickets/hotline-outbox.ts), each POSTed to the
// external hotline system. Retried with exponential backoff while the hotline fails or times out; a job whose
// attempts are exhausted (or that the hotline refused outright) stays in the failed set — that set is the
// dead-letter list an admin can read and retry (GET /api/hotline/dead-letters).
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { createLogger, type Logger } from '../log.js';
import { watchQueue } from '../connection-state-log.js';
import { jobIdFor } from '../core/job-id.js';
import type { HotlineSyncQueue } from '../tickets/hotline-outbox.js';

export const HOTLINE_SYNC_QUEUE = 'hotline-sync';

/**
 * A 'ticket' job carries only the number; an 'event' job the event's id too (the number is for people); a
 * 'problem' job the problem's id (its number reads problem:<id>).
 */
export interface HotlineSyncJob {
  number: string;
  eventId?: number;
  problemId?: number;
  /** How many times an event has waited for its turn (the next wait is twice as long). */
  waits?: number;
}

export interface HotlineSyncOptions {
  url: string;
  secret: string;
  /** Per-request deadline; a hotline slower than this counts as failed and is retried. */
  timeoutMs: number;
  attempts: number;
  /** First retry delay; each next one doubles. */
  backoffMs: number;
}

export function createHotlineSyncQueue(connection: ConnectionOptions, prefix: string, log: Logger = createLogger('info')): Queue<HotlineSyncJob> {
  const q = new Queue<HotlineSyncJob>(HOTLINE_SYNC_QUEUE, { connection, prefix });
  watchQueue(q, log, 'hotline-sync queue');
  return q;
}

export function hotlineSyncJobId(number: string): string {
  return jobIdFor(`hotline:${number}`);
}

export function hotlineEventJobId(eventId: number): string {
  return jobIdFor(`hotline-event:${eventId}`);
}

export function hotlineSyncJobOptions(opts: Pick<HotlineSyncOptions, 'attempts' | 'backoffMs'>, jobId: string): JobsOptions {
  return {
    jobId,
    attempts: opts.attempts,
    backoff: { type: 'exponential', delay: opts.backoffMs },
    removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
    // Kept: the failed set is the dead-letter list.
    removeOnFail: false,
  };
}

/** Queues a ticket for the hotline; the job id is the ticket's, so a retried ticket job adds it once. */
export async function enqueueHotlineSync(queue: Queue<HotlineSyncJob>, opts: Pick<HotlineSyncOptions, 'attempts' | 'backoffMs'>, number: string): Promise<void> {
  await queue.add('ticket', { number }, hotlineSyncJobOptions(opts, hotlineSyncJobId(number)));
}

/** Queues a problem's state for the hotline; one job per version, so the sweep re-adding it is a no-op. */
export async function enqueueHotlineProblem(queue: Queue<HotlineSyncJob>, opts: Pick<HotlineSyncOptions, 'attempts' | 'backoffMs'>, problem: { id: number; updatedAt: Date }): Promise<void> {
  await queue.add('problem', { number: `problem:${problem.id}`, problemId: problem.id }, hotlineSyncJobOptions(opts, jobIdFor(`hotline-problem:${problem.id}:${problem.updatedAt.getTime()}`)));
}

/** Queues status changes for the hotline; job ids are the events', so the outbox sweep re-adding one is a no-op. */
export async function enqueueHotlineEvents(queue: Queue<HotlineSyncJob>, opts: Pick<HotlineSyncOptions, 'attempts' | 'backoffMs'>, events: { eventId: number; number: string }[]): Promise<void> {
  if (!events.length) return;
  await queue.addBulk(events.map((e) => ({ name: 'event', data: e, opts: hotlineSyncJobOptions(opts, hotlineEventJobId(e.eventId)) })));
}

/** The queue as the hotline outbox's port (HotlineSyncQueue). */
export function hotlineSyncPort(queue: Queue<HotlineSyncJob>, opts: Pick<HotlineSyncOptions, 'attempts' | 'backoffMs'>): HotlineSyncQueue {
  return {
    syncTicket: (number) => enqueueHotlineSync(queue, opts, number),
    syncEvents: (events) => enqueueHotlineEvents(queue, opts, events),
  };
}
