// The `photo-fetch` worker: downloads a new ticket's platform-held pictures through its channel's adapter
// (ChannelAdapter.fetchAttachment: the channel knows how its platform serves files and with which credential),
// processes them like the widget's uploads and stores them under the platform's reference, so a retried job
// stores each picture once. A picture the platform no longer has, or that is not a picture, is skipped and
// logged; a platform that is down is retried with backoff.
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { workerOptions } from './queues.js';
import { PHOTO_FETCH_QUEUE, type PhotoFetchJob } from './photo-fetch-queue.js';
import type { TicketStore } from '../tickets/ticket-store.js';
import type { PhotoStore } from '../tickets/photo-store.js';
import { attachmentRefsOf } from '../tickets/ticket-photos.js';
import { PHOTO_REF_PREFIX } from '../tickets/photo-store.js';
import { PhotoRefusedError, processPhoto } from '../photos/photo-processing.js';
import { ChannelApiError } from '../core/errors.js';
import type { Logger } from '../log.js';

export interface PhotoFetchDeps {
  store: TicketStore;
  photos: PhotoStore;
  /** The channel's download, or undefined when the channel cannot fetch its files. */
  fetcher: (channel: string) => ((ref: string) => Promise<Buffer>) | undefined;
  log: Logger;
}

export type PhotoFetchResult = { number: string; stored: number; skipped: number };

/** Refs the platform holds: everything but the widget's own uploads. */
export function remoteRefsOf(details: Record<string, unknown>): string[] {
  return attachmentRefsOf({ details }).filter((ref) => !ref.startsWith(PHOTO_REF_PREFIX));
}

function permanent(err: unknown): boolean {
  if (err instanceof PhotoRefusedError) return true;
  if (err instanceof ChannelApiError) return err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
  return false;
}

export async function processPhotoFetchJob(job: Job<PhotoFetchJob>, deps: PhotoFetchDeps): Promise<PhotoFetchResult> {
  const { number } = job.data;
  const ticket = await deps.store.getByNumber(number);
  if (!ticket) return { number, stored: 0, skipped: 0 };
  const fetch = deps.fetcher(ticket.channel);
  const refs = remoteRefsOf(ticket.details);
  if (!fetch) return { number, stored: 0, skipped: refs.length };
  let stored = 0;
  let skipped = 0;
  for (const ref of refs) {
    if (await deps.photos.bySource(ref)) continue;
    try {
      const photo = await processPhoto(await fetch(ref));
      await deps.photos.save(`${ticket.channel}:${ticket.conversationId}`, photo, ref);
      stored++;
    } catch (err) {
      if (!permanent(err)) throw err;
      skipped++;
      deps.log.warn({ number, err: (err as Error).message }, 'a picture of the ticket could not be kept');
    }
  }
  return { number, stored, skipped };
}

export function createPhotoFetchWorker(connection: ConnectionOptions, prefix: string, lockMs: number, deps: PhotoFetchDeps): Worker<PhotoFetchJob> {
  const worker = new Worker<PhotoFetchJob>(PHOTO_FETCH_QUEUE, (job) => processPhotoFetchJob(job, deps), { connection, prefix, concurrency: 4, ...workerOptions(lockMs) });
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'photo-fetch worker error'));
  return worker;
}
