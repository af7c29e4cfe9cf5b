// The `problem-check` check (src/queue/scheduled-check.ts): every PROBLEM_CHECK_MS a worker looks for recurring
// problems to suggest, proposes new tickets for linking to the problems people made, and re-opens monitoring
// where a solved place calls again; PROBLEM_CHECK_MS=0 turns it off.
import type { ConnectionOptions, Queue } from 'bullmq';
import { createCheckQueue, scheduleCheck, type CheckJob } from './scheduled-check.js';
import type { Logger } from '../log.js';

export const PROBLEM_CHECK_QUEUE = 'problem-check';
export const PROBLEM_CHECK_SCHEDULER_ID = 'problem-check';

export type ProblemCheckJob = CheckJob;

export const createProblemCheckQueue = (connection: ConnectionOptions, prefix: string, log?: Logger): Queue<ProblemCheckJob> => createCheckQueue(PROBLEM_CHECK_QUEUE, connection, prefix, log);
export const scheduleProblemCheck = (queue: Queue<ProblemCheckJob>, everyMs: number): Promise<void> => scheduleCheck(queue, PROBLEM_CHECK_SCHEDULER_ID, everyMs);
