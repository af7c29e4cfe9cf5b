// The `overdue` check (src/queue/scheduled-check.ts): every OVERDUE_CHECK_MS a worker flags tickets past their
// time limit and re-sends feedback the outbox still owes.
import type { ConnectionOptions, Queue } from 'bullmq';
import { createCheckQueue, scheduleCheck, type CheckJob } from './scheduled-check.js';
import type { Logger } from '../log.js';

export const OVERDUE_QUEUE = 'overdue';
export const OVERDUE_SCHEDULER_ID = 'overdue-check';

export type OverdueJob = CheckJob;

export const createOverdueQueue = (connection: ConnectionOptions, prefix: string, log?: Logger): Queue<OverdueJob> => createCheckQueue(OVERDUE_QUEUE, connection, prefix, log);
export const scheduleOverdueCheck = (queue: Queue<OverdueJob>, everyMs: number): Promise<void> => scheduleCheck(queue, OVERDUE_SCHEDULER_ID, everyMs);
