// Step 1 of the pipeline: remember what each message id got, so a redelivered message (platform retry, widget
// resend, overlapping poll) gets the same replies and nothing happens twice. Lives in Redis with a TTL; when
// Redis is down the ledger is skipped (FAQ answers are idempotent anyway, and ticket jobs are deduplicated by
// job id and by the tickets table's unique key).
import type { Redis } from 'ioredis';
import type { IntakeResult } from './channel-adapter.js';

export const LEDGER_TTL_SECONDS = 7 * 24 * 3600;

export type LedgerEntry = Omit<IntakeResult, 'duplicate'>;

export class MessageLedger {
  constructor(readonly redis: Redis, private readonly prefix: string) {}

  /** The Redis key of a message id's entry (IntakeStore reads and writes it together with the state). */
  key(id: string) {
    return `${this.prefix}:seen:${id}`;
  }

  static parse(raw: string | null): LedgerEntry | undefined {
    return raw ? JSON.parse(raw) : undefined;
  }

  async get(id: string): Promise<LedgerEntry | undefined> {
    return MessageLedger.parse(await this.redis.get(this.key(id)));
  }

  /** Records the result unless another delivery of the same id recorded first; returns the winner's result. */
  async claim(id: string, result: LedgerEntry): Promise<{ first: boolean; result: LedgerEntry }> {
    const ok = await this.redis.set(this.key(id), JSON.stringify(result), 'EX', LEDGER_TTL_SECONDS, 'NX');
    if (ok === 'OK') return { first: true, result };
    return { first: false, result: (await this.get(id)) ?? result };
  }
}
