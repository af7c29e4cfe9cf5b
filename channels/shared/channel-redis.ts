// The one Redis connection the channel adapters share for their own small reads and writes (delivered parts,
// send limits, cursors, replay checks, tokens), and the connection options of their outbound-queue producers.
// Fail fast (one retry, no offline queue): a webhook must answer within the platform's deadline with Redis
// down, and every channel's Redis work is best effort or answered 503. Its outages are logged once per change.
import { Redis } from 'ioredis';
import type { RedisOptions } from 'bullmq';
import { connectionOptions } from '../../src/queue/redis.js';
import { watchConnection } from '../../src/connection-state-log.js';
import type { Logger } from '../../src/log.js';

export class ChannelRedis {
  private shared?: Redis;

  constructor(
    readonly url: string,
    private readonly log: Logger,
  ) {}

  /** The shared client, connected on first use. */
  get client(): Redis {
    if (!this.shared) {
      this.shared = new Redis(this.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (n) => Math.min(n * 200, 2000) });
      watchConnection(this.shared, this.log, 'channels redis');
    }
    return this.shared;
  }

  /**
   * Waits (at most `ms`) for the client to connect. Without an offline queue a command sent before the first
   * connection fails at once, so a worker's first send() waits here rather than skipping its bookkeeping.
   */
  async ready(ms = 1000): Promise<void> {
    const client = this.client;
    if (client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      client.once('ready', done);
    });
  }

  /** For a BullMQ producer in the request path (fails fast, like the client). */
  producerConnection(): RedisOptions {
    return connectionOptions(this.url, 'producer');
  }

  close(): void {
    this.shared?.disconnect();
    this.shared = undefined;
  }
}
