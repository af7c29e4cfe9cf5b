// The `spike-check` check (src/queue/scheduled-check.ts): every SPIKE_CHECK_MS a worker looks for spikes and
// raises the new ones; SPIKE_CHECK_MS=0 turns it off.
import type { ConnectionOptions, Queue } from 'bullmq';
import { createCheckQueue, scheduleCheck, type CheckJob } from './scheduled-check.js';
import type { Logger } from '../log.js';

export const SPIKE_CHECK_QUEUE = 'spike-check';
export const SPIKE_CHECK_SCHEDULER_ID = 'spike-check';

export type SpikeCheckJob = CheckJob;

export const createSpikeCheckQueue = (connection: ConnectionOptions, prefix: string, log?: Logger): Queue<SpikeCheckJob> => createCheckQueue(SPIKE_CHECK_QUEUE, connection, prefix, log);
export const scheduleSpikeCheck = (queue: Queue<SpikeCheckJob>, everyMs: number): Promise<void> => scheduleCheck(queue, SPIKE_CHECK_SCHEDULER_ID, everyMs);
