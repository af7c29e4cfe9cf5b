// The `outbound` worker: delivers a reply through its channel's adapter. Failures are retried with backoff
// (a platform down for a while gets the reply later); permanent failures (unknown channel) are not retried.
import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { QUEUE_NAMES, workerOptions, type OutboundJob } from './queues.js';
import { ChannelRegistry, UnknownChannelError } from '../core/channel-registry.js';
import { ChannelApiError, VerificationError } from '../core/errors.js';
import type { Logger } from '../log.js';

export interface OutboundWorkerDeps {
  channels: ChannelRegistry;
  log: Logger;
  onDelivered?(job: Job<OutboundJob>): void;
  onFailed?(job: Job<OutboundJob> | undefined, err: Error): void;
}

export async function processOutboundJob(job: Job<OutboundJob>, deps: OutboundWorkerDeps, token?: string): Promise<void> {
  const { address, reply } = job.data;
  let adapter;
  try {
    adapter = deps.channels.get(address.channel);
  } catch (err) {
    if (err instanceof UnknownChannelError) throw new UnrecoverableError(err.message);
    throw err;
  }
  try {
    await adapter.send(address, { ...reply, id: reply.id ?? job.id });
  } catch (err) {
    if (err instanceof VerificationError) throw new UnrecoverableError(err.message);
    // The platform (or our own per-chat limiter) said "not now": wait as long as it asked, without spending
    // an attempt and without holding up other channels' jobs.
    if (err instanceof ChannelApiError && err.retryAfterMs !== undefined && token) {
      await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
      throw new DelayedError();
    }
    if (err instanceof ChannelApiError && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429)
      throw new UnrecoverableError(`${err.message} (HTTP ${err.status}, not retried)`);
    throw err;
  }
  deps.onDelivered?.(job);
}

export function createOutboundWorker(connection: ConnectionOptions, prefix: string, concurrency: number, lockMs: number, deps: OutboundWorkerDeps): Worker<OutboundJob> {
  const worker = new Worker<OutboundJob>(QUEUE_NAMES.outbound, (job, token) => processOutboundJob(job, deps, token), { connection, prefix, concurrency, ...workerOptions(lockMs) });
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'outbound worker error'));
  worker.on('failed', (job, err) => {
    deps.log.warn({ jobId: job?.id, channel: job?.data.address.channel, attempts: job?.attemptsMade, err: err.message }, 'outbound delivery failed');
    deps.onFailed?.(job, err);
  });
  return worker;
}
