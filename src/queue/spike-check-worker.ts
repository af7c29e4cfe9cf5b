// The `spike-check` worker: one check per scheduled job. Raising an alert is idempotent by itself (one per
// street, category and day, decided in Redis), so a job run twice after a worker died raises nothing twice.
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { workerOptions } from './queues.js';
import { SPIKE_CHECK_QUEUE, type SpikeCheckJob } from './spike-check-queue.js';
import type { SpikeAlerter } from '../reports/spike-alerts.js';
import type { Logger } from '../log.js';

export interface SpikeCheckWorkerDeps {
  alerter: SpikeAlerter;
  log: Logger;
  now?: () => Date;
}

export function createSpikeCheckWorker(connection: ConnectionOptions, prefix: string, lockMs: number, deps: SpikeCheckWorkerDeps): Worker<SpikeCheckJob> {
  const run = async (_job: Job<SpikeCheckJob>) => {
    const raised = await deps.alerter.check({ asOf: deps.now?.() ?? new Date() });
    if (raised.length) deps.log.info({ spikes: raised.map((a) => a.key) }, 'spike alerts raised');
    return { raised: raised.length };
  };
  const worker = new Worker<SpikeCheckJob>(SPIKE_CHECK_QUEUE, run, { connection, prefix, concurrency: 1, ...workerOptions(lockMs) });
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'spike check worker error'));
  worker.on('failed', (_job, err) => deps.log.debug({ err: err.message }, 'spike check failed; the next period tries again'));
  return worker;
}
