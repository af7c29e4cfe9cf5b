// The BullMQ queues that carry the core's jobs (src/core/jobs.ts). Job options (retries, backoff, retention) are set here once.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { createLogger, type Logger } from '../log.js';
import { watchQueue } from '../connection-state-log.js';
import type { CommandJob, ExpiryJob, OutboundJob, TicketJob } from '../core/jobs.js';

export const QUEUE_NAMES = { tickets: 'tickets', outbound: 'outbound', conversations: 'conversations' } as const;

export type { CommandJob, ExpiryJob, OutboundJob, TicketJob } from '../core/jobs.js';

/** Exponential backoff from 1 s, capped at 30 s: an outage is waited out, and work resumes soon after it. */
export const CAPPED_BACKOFF = 'capped';
export function cappedBackoff(attemptsMade: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), 30_000);
}

/** How long a failed job (a citizen's message, with its personal data) stays in Redis for inspection. */
export const FAILED_JOB_AGE_S = 7 * 24 * 3600;

/**
 * Retries with capped exponential backoff (1 s, 2 s, 4 s … then every 30 s; about 20 minutes of trying in all)
 * so a database or platform outage is waited out without a long tail after it ends. Completed jobs are kept
 * a day so a redelivered message id still finds its job (BullMQ dedupes on job id only while the job exists);
 * failed jobs are kept a week for inspection and then removed, like any personal data kept without need.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 45,
  backoff: { type: CAPPED_BACKOFF },
  removeOnComplete: { age: 24 * 3600, count: 200_000 },
  removeOnFail: { age: FAILED_JOB_AGE_S },
};

export interface Queues {
  tickets: Queue<TicketJob | CommandJob>;
  outbound: Queue<OutboundJob>;
  conversations: Queue<ExpiryJob>;
  close(): Promise<void>;
}

/** `ticketAttempts`: attempts of a ticket job before it becomes a dead letter (TICKET_ATTEMPTS). */
export function createQueues(connection: ConnectionOptions, prefix: string, opts: { ticketAttempts?: number; log?: Logger } = {}): Queues {
  const ticketOptions = opts.ticketAttempts ? { ...DEFAULT_JOB_OPTIONS, attempts: opts.ticketAttempts } : DEFAULT_JOB_OPTIONS;
  const tickets = new Queue<TicketJob | CommandJob>(QUEUE_NAMES.tickets, { connection, prefix, defaultJobOptions: ticketOptions });
  const outbound = new Queue<OutboundJob>(QUEUE_NAMES.outbound, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const conversations = new Queue<ExpiryJob>(QUEUE_NAMES.conversations, {
    connection,
    prefix,
    defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, removeOnComplete: { age: 3600, count: 10_000 } },
  });
  // Connection errors also surface as failed add() calls in the request path; the outage is logged once.
  const log = opts.log ?? createLogger('info');
  watchQueue(tickets, log, 'tickets queue');
  watchQueue(outbound, log, 'outbound queue');
  watchQueue(conversations, log, 'conversations queue');
  return {
    tickets,
    outbound,
    conversations,
    close: async () => {
      await Promise.all([tickets.close(), outbound.close(), conversations.close()]);
    },
  };
}

/**
 * Options every worker gets. Jobs are idempotent, so a job whose worker died (stalled) is simply run again:
 * maxStalledCount is high, because with the default of 1 a job caught by two crashes would be failed.
 */
export function workerOptions(lockMs: number) {
  return {
    lockDuration: lockMs,
    stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
    maxStalledCount: 20,
    settings: { backoffStrategy: (attemptsMade: number, type?: string) => (type === CAPPED_BACKOFF ? cappedBackoff(attemptsMade) : 1000) },
  };
}
