// Step 1 of the pipeline: remember what each message id got, so a redelivered message (platform retry, widget
// resend, overlapping poll) gets the same replies and nothing happens twice. Lives in Redis with a TTL; when
// Redis is down the ledger is skipped (FAQ answers are idempotent anyway, and ticket jobs are deduplicated by
// job id and by the tickets table's unique key).
import type { Redis } from 'ioredis';
import type { IntakeResult } from './channel-adapter.js';

const TTL_SECONDS = 7 * 24 * 3600;

export class MessageLedger {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(id: string) {
    return `${this.prefix}:seen:${id}`;
  }

  async get(id: string): Promise<Omit<IntakeResult, 'duplicate'> | undefined> {
    const raw = await this.redis.get(this.key(id));
    return raw ? JSON.parse(raw) : undefined;
  }

  /** Records the result unless another delivery of the same id recorded first; returns the winner's result. */
  async claim(id: string, result: Omit<IntakeResult, 'duplicate'>): Promise<{ first: boolean; result: Omit<IntakeResult, 'duplicate'> }> {
    const ok = await this.redis.set(this.key(id), JSON.stringify(result), 'EX', TTL_SECONDS, 'NX');
    if (ok === 'OK') return { first: true, result };
    return { first: false, result: (await this.get(id)) ?? result };
  }
}
