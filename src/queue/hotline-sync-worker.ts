// The `hotline-sync` worker: sends a ticket to the external hotline once. A ticket already marked synced is
// skipped (a job re-added after its record expired), and the hotline dedupes on the Idempotency-Key, so a
// response lost to a timeout and retried does not make a second ticket there either.
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { workerOptions } from './queues.js';
import { HOTLINE_SYNC_QUEUE, type HotlineSyncJob, type HotlineSyncOptions } from './hotline-sync-queue.js';
import { HotlineSyncError, postTicketToHotline } from './hotline-sync-client.js';
import { hotlineTicketOf } from '../tickets/hotline-contract.js';
import type { TicketStore } from '../tickets/ticket-store.js';
import type { Logger } from '../log.js';

export interface HotlineSyncWorkerDeps {
  store: TicketStore;
  options: HotlineSyncOptions;
  log: Logger;
  now?: () => Date;
}

export type HotlineSyncResult = { number: string; outcome: 'sent' | 'already-there' | 'already-synced'; ref?: string };

export async function processHotlineSyncJob(job: Job<HotlineSyncJob>, deps: HotlineSyncWorkerDeps): Promise<HotlineSyncResult> {
  const { number } = job.data;
  const ticket = await deps.store.getByNumber(number);
  if (!ticket) throw new UnrecoverableError(`no ticket ${number}`);
  if (ticket.hotlineSyncedAt) return { number, outcome: 'already-synced', ...(ticket.hotlineRef ? { ref: ticket.hotlineRef } : {}) };
  const primary = ticket.duplicateOf ? await deps.store.getById(ticket.duplicateOf) : undefined;
  try {
    const r = await postTicketToHotline(deps.options, hotlineTicketOf(ticket, primary?.number ?? null));
    await deps.store.markHotlineSynced(ticket.id, r.ref ?? null, deps.now?.() ?? new Date());
    return { number, outcome: r.already ? 'already-there' : 'sent', ...(r.ref ? { ref: r.ref } : {}) };
  } catch (err) {
    if (err instanceof HotlineSyncError && !err.retryable) throw new UnrecoverableError(err.message);
    throw err;
  }
}

export function createHotlineSyncWorker(connection: ConnectionOptions, prefix: string, lockMs: number, deps: HotlineSyncWorkerDeps): Worker<HotlineSyncJob> {
  // The request deadline must fit in the lock, or a slow hotline would make the job look stalled.
  const lock = Math.max(lockMs, deps.options.timeoutMs * 2);
  const worker = new Worker<HotlineSyncJob>(HOTLINE_SYNC_QUEUE, (job) => processHotlineSyncJob(job, deps), { connection, prefix, concurrency: 4, ...workerOptions(lock) });
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'hotline-sync worker error'));
  worker.on('failed', (job, err) => {
    const dead = !!job && (job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError || err.name === 'UnrecoverableError');
    deps.log.warn({ jobId: job?.id, number: job?.data.number, attempts: job?.attemptsMade, err: err.message, dead }, dead ? 'hotline sync dead-lettered' : 'hotline sync failed; will retry');
  });
  return worker;
}
