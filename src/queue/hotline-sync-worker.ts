// The `hotline-sync` worker: sends a ticket ('ticket' jobs), or a status change made here ('event' jobs), to
// the external hotline once. A ticket or event already marked sent is skipped (a job re-added after its record
// expired), and the hotline dedupes on the Idempotency-Key, so a response lost to a timeout and retried does
// not make a second one there either. An event waits, without using up its attempts, until the hotline has its
// ticket and every earlier event of that ticket.
import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { workerOptions } from './queues.js';
import { HOTLINE_SYNC_QUEUE, type HotlineSyncJob, type HotlineSyncOptions } from './hotline-sync-queue.js';
import { HotlineSyncError, postEventToHotline, postProblemToHotline, postTicketToHotline, type PostResult } from './hotline-sync-client.js';
import { hotlineEventOf, hotlineProblemOf, hotlineTicketOf } from '../tickets/hotline-contract.js';
import type { ProblemStore } from '../tickets/problem-store.js';
import type { TicketStore } from '../tickets/ticket-store.js';
import type { HotlineOutbox } from '../tickets/hotline-outbox.js';
import type { Logger } from '../log.js';
import type { TicketRow } from '../tickets/schema.js';
import type { PhotoLink } from '../photos/photo-link.js';

export interface HotlineSyncWorkerDeps {
  store: TicketStore;
  outbox: HotlineOutbox;
  options: HotlineSyncOptions;
  /** Problem lists, when problems are sent too ('problem' jobs). */
  problems?: ProblemStore;
  log: Logger;
  now?: () => Date;
  /** Signed links to a ticket's photos, made as the ticket is sent (fresh expiry on every attempt). */
  photoLinks?: (ticket: TicketRow) => Promise<PhotoLink[]>;
}

export type HotlineSyncResult =
  | { number: string; outcome: 'sent' | 'already-there' | 'already-synced'; ref?: string }
  | { number: string; eventId: number; outcome: 'sent' | 'already-there' | 'already-sent' | 'gone' }
  | { number: string; problemId: number; outcome: 'sent' | 'already-there' | 'already-sent' | 'gone' };

/** The longest an event waits between looks at whether its turn has come. */
const MAX_WAIT_MS = 5 * 60_000;

export async function processHotlineSyncJob(job: Job<HotlineSyncJob>, deps: HotlineSyncWorkerDeps, token?: string): Promise<HotlineSyncResult> {
  if (job.name === 'event') return processEvent(job, deps, token);
  if (job.name === 'problem') return processProblem(job, deps);
  const { number } = job.data;
  const ticket = await deps.store.getByNumber(number);
  if (!ticket) throw new UnrecoverableError(`no ticket ${number}`);
  if (ticket.hotlineSyncedAt) return { number, outcome: 'already-synced', ...(ticket.hotlineRef ? { ref: ticket.hotlineRef } : {}) };
  const primary = ticket.duplicateOf ? await deps.store.getById(ticket.duplicateOf) : undefined;
  const photos = deps.photoLinks ? await deps.photoLinks(ticket) : [];
  const r = await post(() => postTicketToHotline(deps.options, hotlineTicketOf(ticket, primary?.number ?? null, photos)));
  await deps.store.markHotlineSynced(ticket.id, r.ref ?? null, deps.now?.() ?? new Date());
  return { number, outcome: r.already ? 'already-there' : 'sent', ...(r.ref ? { ref: r.ref } : {}) };
}

async function processEvent(job: Job<HotlineSyncJob>, deps: HotlineSyncWorkerDeps, token: string | undefined): Promise<HotlineSyncResult> {
  const { number, eventId } = job.data;
  if (eventId === undefined) throw new UnrecoverableError('an event job without an eventId');
  const owed = await deps.outbox.next(eventId);
  if (owed.state === 'gone') return { number, eventId, outcome: 'gone' };
  if (owed.state === 'sent') return { number, eventId, outcome: 'already-sent' };
  if (owed.state === 'waiting') {
    // Not a failure: looked at again later, with the delay doubling, and no attempt used up.
    const waits = job.data.waits ?? 0;
    await job.updateData({ ...job.data, waits: waits + 1 });
    await job.moveToDelayed(Date.now() + Math.min(deps.options.backoffMs * 2 ** waits, MAX_WAIT_MS), token);
    throw new DelayedError(owed.reason);
  }
  const r = await post(() => postEventToHotline(deps.options, hotlineEventOf(owed.event, owed.ticket)));
  await deps.outbox.markSent(eventId);
  return { number, eventId, outcome: r.already ? 'already-there' : 'sent' };
}

/** The problem's state now (a newer version than the job's is fine: it is the state the hotline should have). */
async function processProblem(job: Job<HotlineSyncJob>, deps: HotlineSyncWorkerDeps): Promise<HotlineSyncResult> {
  const { number, problemId } = job.data;
  if (problemId === undefined || !deps.problems) throw new UnrecoverableError('a problem job without a problemId or a problem store');
  const problem = await deps.problems.get(problemId);
  if (!problem) return { number, problemId, outcome: 'gone' };
  if (problem.hotlineSyncedAt?.getTime() === problem.updatedAt.getTime()) return { number, problemId, outcome: 'already-sent' };
  const [tickets, projects] = await Promise.all([deps.problems.tickets(problemId), deps.problems.projects(problemId)]);
  const linked = tickets.filter((t) => t.state === 'linked').map((t) => t.number);
  const r = await post(() => postProblemToHotline(deps.options, hotlineProblemOf(problem, linked, projects)));
  await deps.problems.markHotlineSynced(problemId, problem.updatedAt);
  return { number, problemId, outcome: r.already ? 'already-there' : 'sent' };
}

/** A refusal a retry cannot change goes to the dead letters at once; anything else is retried. */
async function post(send: () => Promise<PostResult>): Promise<PostResult> {
  try {
    return await send();
  } catch (err) {
    if (err instanceof HotlineSyncError && !err.retryable) throw new UnrecoverableError(err.message);
    throw err;
  }
}

export function createHotlineSyncWorker(connection: ConnectionOptions, prefix: string, lockMs: number, deps: HotlineSyncWorkerDeps): Worker<HotlineSyncJob> {
  // The request deadline must fit in the lock, or a slow hotline would make the job look stalled.
  const lock = Math.max(lockMs, deps.options.timeoutMs * 2);
  const worker = new Worker<HotlineSyncJob>(HOTLINE_SYNC_QUEUE, (job, token) => processHotlineSyncJob(job, deps, token), { connection, prefix, concurrency: 4, ...workerOptions(lock) });
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'hotline-sync worker error'));
  worker.on('failed', (job, err) => {
    const dead = !!job && (job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError || err.name === 'UnrecoverableError');
    deps.log.warn({ jobId: job?.id, number: job?.data.number, eventId: job?.data.eventId, attempts: job?.attemptsMade, err: err.message, dead }, dead ? 'hotline sync dead-lettered' : 'hotline sync failed; will retry');
  });
  return worker;
}
