// The BullMQ queues and what their jobs carry. Job options (retries, backoff, retention) are set here once.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Address, Reply } from '../core/envelope.js';
import type { Decision } from '../nlu/decision.js';
import type { SerializedMessage } from '../core/serialize.js';

export const QUEUE_NAMES = { tickets: 'tickets', outbound: 'outbound' } as const;

export interface TicketJob {
  message: SerializedMessage;
  decision: Decision;
}

export interface OutboundJob {
  address: Address;
  reply: Reply;
}

/**
 * Retries with exponential backoff (1 s, 2 s, 4 s … about 17 minutes of trying in all) so a database or
 * platform outage is waited out. Completed jobs are kept a day so a redelivered message id still finds its
 * job (BullMQ dedupes on job id only while the job exists); failed jobs are kept for inspection.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 200_000 },
  removeOnFail: false,
};

export interface Queues {
  tickets: Queue<TicketJob>;
  outbound: Queue<OutboundJob>;
  close(): Promise<void>;
}

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const tickets = new Queue<TicketJob>(QUEUE_NAMES.tickets, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  const outbound = new Queue<OutboundJob>(QUEUE_NAMES.outbound, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  // Connection errors surface as failed add() calls in the request path; the events themselves are noise.
  tickets.on('error', () => {});
  outbound.on('error', () => {});
  return {
    tickets,
    outbound,
    close: async () => {
      await Promise.all([tickets.close(), outbound.close()]);
    },
  };
}
