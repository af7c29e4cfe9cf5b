// How a messenger adapter delivers the replies intake.handle() returned. They go onto the `outbound` queue
// under job ids derived from the message id, so a redelivered update (platform retry, overlapping poll) finds
// the jobs already there and the citizen sees each reply once; the outbound worker retries, backs off on
// 429s and applies the channel's rate limits. When Redis cannot take the job (the FAQ fast path with Redis
// down) the reply is sent directly instead. Only when both fail does dispatch() throw: the webhook must then
// answer 5xx so the platform redelivers, and the redelivery gets the same replies from the intake.
import type { Address, InboundMessage, Reply } from '../src/core/envelope.js';
import { addressOf } from '../src/core/envelope.js';
import { jobIdFor } from '../src/core/job-id.js';
import type { OutboundQueue } from '../src/core/jobs.js';
import { withTimeout } from '../src/core/with-timeout.js';
import type { Logger } from '../src/log.js';

export interface ReplyDispatchOptions {
  /** The `outbound` queue (ChannelContext.outbound). */
  queue: OutboundQueue;
  /** The adapter's own send(), used when the queue is unavailable. */
  send(to: Address, reply: Reply): Promise<void>;
  log: Logger;
  /** How long an enqueue may take before the reply is sent directly. Default 500 ms. */
  enqueueTimeoutMs?: number;
}

/** After a failed enqueue the queue is not tried again for this long: each reply would wait out the timeout. */
const QUEUE_DOWN_MS = 5000;

export class ReplyDispatchError extends Error {
  readonly code = 'REPLY_NOT_DELIVERED';
}

export class ReplyDispatch {
  private readonly queue: OutboundQueue;
  private readonly enqueueTimeoutMs: number;
  private queueDownUntil = 0;

  constructor(private readonly opts: ReplyDispatchOptions) {
    this.enqueueTimeoutMs = opts.enqueueTimeoutMs ?? 500;
    this.queue = opts.queue;
  }

  /** Waits for the queue's connection (a producer without an offline queue fails adds until then). */
  async ready(): Promise<void> {
    await withTimeout(this.queue.ready(), 3000, 'outbound queue connect').catch((err: Error) =>
      this.opts.log.warn({ err: err.message }, 'outbound queue not ready; replies will be sent directly until it is'),
    );
  }

  async dispatch(message: InboundMessage, replies: Reply[]): Promise<void> {
    const address = addressOf(message);
    for (const [i, r] of replies.entries()) {
      const id = jobIdFor(`reply:${message.id}:${i}`);
      const reply: Reply = { ...r, id };
      if (Date.now() >= this.queueDownUntil) {
        try {
          await withTimeout(this.queue.add({ address, reply }, id), this.enqueueTimeoutMs, 'enqueue reply');
          continue;
        } catch (err) {
          this.queueDownUntil = Date.now() + QUEUE_DOWN_MS;
          this.opts.log.warn({ err: (err as Error).message, messageId: message.id }, 'reply not queued; sending directly');
        }
      }
      try {
        await this.opts.send(address, reply);
      } catch (err) {
        throw new ReplyDispatchError(`reply ${i} to ${message.id} neither queued nor sent: ${(err as Error).message}`);
      }
    }
  }
}
