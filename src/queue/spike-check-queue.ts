// The `spike-check` queue holds one repeatable job (a BullMQ job scheduler): every SPIKE_CHECK_MS a worker looks
// for spikes and raises the new ones. A scheduler, not a timer in each gateway, so with many gateways and workers
// the check runs once per period, wherever a worker is free.
import { Queue, type ConnectionOptions } from 'bullmq';

export const SPIKE_CHECK_QUEUE = 'spike-check';
export const SPIKE_CHECK_SCHEDULER_ID = 'spike-check';

export type SpikeCheckJob = Record<string, never>;

export function createSpikeCheckQueue(connection: ConnectionOptions, prefix: string): Queue<SpikeCheckJob> {
  const q = new Queue<SpikeCheckJob>(SPIKE_CHECK_QUEUE, { connection, prefix });
  q.on('error', () => {});
  return q;
}

/** Idempotent: every process may call it at start; the scheduler id keeps one schedule. 0 removes it (off). */
export async function scheduleSpikeCheck(queue: Queue<SpikeCheckJob>, everyMs: number): Promise<void> {
  if (everyMs === 0) {
    await queue.removeJobScheduler(SPIKE_CHECK_SCHEDULER_ID);
    return;
  }
  await queue.upsertJobScheduler(SPIKE_CHECK_SCHEDULER_ID, { every: everyMs }, { name: 'check', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } });
}
