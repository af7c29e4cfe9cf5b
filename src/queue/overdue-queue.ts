// The `overdue` queue holds one repeatable job (a BullMQ job scheduler): every OVERDUE_CHECK_MS a worker flags
// tickets past their time limit and re-sends feedback the outbox still owes. A scheduler, not a timer in one
// process, so with many gateways and workers the check runs once per period, wherever a worker is free.
import { Queue, type ConnectionOptions } from 'bullmq';
import { FAILED_JOB_AGE_S } from './queues.js';

export const OVERDUE_QUEUE = 'overdue';
export const OVERDUE_SCHEDULER_ID = 'overdue-check';

export type OverdueJob = Record<string, never>;

export function createOverdueQueue(connection: ConnectionOptions, prefix: string): Queue<OverdueJob> {
  const q = new Queue<OverdueJob>(OVERDUE_QUEUE, { connection, prefix });
  q.on('error', () => {});
  return q;
}

/** Idempotent: every process may call it at start; the scheduler id keeps one schedule. */
export async function scheduleOverdueCheck(queue: Queue<OverdueJob>, everyMs: number): Promise<void> {
  await queue.upsertJobScheduler(OVERDUE_SCHEDULER_ID, { every: everyMs }, { name: 'check', data: {}, opts: { removeOnComplete: 100, removeOnFail: { age: FAILED_JOB_AGE_S, count: 100 } } });
}
