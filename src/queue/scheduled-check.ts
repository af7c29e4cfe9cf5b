// A periodic check as a BullMQ job scheduler: one queue holding one repeatable job, so that with many gateways and
// workers the check runs once per period, wherever a worker is free — not once per process, as a timer would.
// The overdue check, the spike check and the problem check are each one of these.
import { Queue, type ConnectionOptions } from 'bullmq';
import { FAILED_JOB_AGE_S } from './queues.js';
import { createLogger, type Logger } from '../log.js';
import { watchQueue } from '../connection-state-log.js';

/** The scheduled job carries nothing: the worker looks at the database when it runs. */
export type CheckJob = Record<string, never>;

export function createCheckQueue(name: string, connection: ConnectionOptions, prefix: string, log: Logger = createLogger('info')): Queue<CheckJob> {
  const q = new Queue<CheckJob>(name, { connection, prefix });
  // The scheduling call reports its own failure; the connection's outages are logged once each way.
  watchQueue(q, log, `${name} queue`);
  return q;
}

/** Idempotent: every process may call it at start; the scheduler id keeps one schedule. 0 removes it (off). */
export async function scheduleCheck(queue: Queue<CheckJob>, schedulerId: string, everyMs: number): Promise<void> {
  if (everyMs === 0) {
    await queue.removeJobScheduler(schedulerId);
    return;
  }
  await queue.upsertJobScheduler(schedulerId, { every: everyMs }, { name: 'check', data: {}, opts: { removeOnComplete: 100, removeOnFail: { age: FAILED_JOB_AGE_S, count: 100 } } });
}
