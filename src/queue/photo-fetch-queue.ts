// The `photo-fetch` queue: one job per new ticket whose message carried pictures held by its platform (a
// platform's file id, a picture link). The worker downloads them soon after the ticket is made, before
// the platform's links expire, and stores them like the widget's uploads.
import { Queue, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../log.js';
import { watchQueue } from '../connection-state-log.js';

export const PHOTO_FETCH_QUEUE = 'photo-fetch';

export interface PhotoFetchJob {
  number: string;
}

export function createPhotoFetchQueue(connection: ConnectionOptions, prefix: string, log: Logger): Queue<PhotoFetchJob> {
  const queue = new Queue<PhotoFetchJob>(PHOTO_FETCH_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 6,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  // Redis outages are logged once each way, as for the other queues (an 'error' without a listener would throw).
  watchQueue(queue, log, 'photo-fetch queue');
  return queue;
}

/** One job per ticket: a ticket worker retried after a crash adds it again and nothing doubles. */
export function enqueuePhotoFetch(queue: Queue<PhotoFetchJob>, number: string): Promise<unknown> {
  return queue.add('fetch', { number }, { jobId: `photos-${number}` });
}
