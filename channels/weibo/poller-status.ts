// What the console shows about the poller: when it last polled and succeeded, the last error, whether it
// is backing off and until when, the cursors and the hourly budget. Written by the poller after every
// cycle into one Redis key (the console may run in another process), read by the console.
import type { Redis } from 'ioredis';

export interface PollerStatus {
  running: boolean;
  intervalMs: number;
  lastPollAt?: number;
  lastOkAt?: number;
  /** Mentions handed to the intake by the last successful cycle. */
  lastTaken?: number;
  lastError?: { message: string; code?: number; at: number; rateLimited: boolean };
  /** Consecutive failed cycles (0 when healthy). */
  failures: number;
  /** Set while waiting after a failure or an exhausted budget. */
  backoffUntil?: number;
  nextPollAt?: number;
  cursors: { status?: string; comment?: string };
  budget?: { used: number; limit: number; resetAt: number };
}

export class PollerStatusStore {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:weibo:poller`;
  }

  async write(s: PollerStatus): Promise<void> {
    await this.redis.set(this.key, JSON.stringify(s), 'EX', 7 * 24 * 3600);
  }

  async read(): Promise<PollerStatus | undefined> {
    const raw = await this.redis.get(this.key);
    return raw ? (JSON.parse(raw) as PollerStatus) : undefined;
  }
}
