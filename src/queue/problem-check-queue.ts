// The `problem-check` queue holds one repeatable job (a BullMQ job scheduler), like the spike check: every
// PROBLEM_CHECK_MS a worker looks for recurring problems to suggest, proposes new tickets for linking to the
// problems people made, and re-opens monitoring where a solved place calls again. A scheduler, not a timer in
// each gateway, so with many gateways and workers the check runs once per period cluster-wide.
import { Queue, type ConnectionOptions } from 'bullmq';

export const PROBLEM_CHECK_QUEUE = 'problem-check';
export const PROBLEM_CHECK_SCHEDULER_ID = 'problem-check';

export type ProblemCheckJob = Record<string, never>;

export function createProblemCheckQueue(connection: ConnectionOptions, prefix: string): Queue<ProblemCheckJob> {
  const q = new Queue<ProblemCheckJob>(PROBLEM_CHECK_QUEUE, { connection, prefix });
  q.on('error', () => {});
  return q;
}

/** Idempotent: every process may call it at start; the scheduler id keeps one schedule. 0 removes it (off). */
export async function scheduleProblemCheck(queue: Queue<ProblemCheckJob>, everyMs: number): Promise<void> {
  if (everyMs === 0) {
    await queue.removeJobScheduler(PROBLEM_CHECK_SCHEDULER_ID);
    return;
  }
  await queue.upsertJobScheduler(PROBLEM_CHECK_SCHEDULER_ID, { every: everyMs }, { name: 'check', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } });
}
