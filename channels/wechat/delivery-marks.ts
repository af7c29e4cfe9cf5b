// The customer-service API has no idempotency key, so a job retried after WeChat took the message (the
// worker died before acking, or part 2 of 3 failed) would show it twice. A mark per delivered part, keyed on
// the reply's stable id, makes the retry skip what already went out. Best effort: without Redis we send.
import type { Redis } from 'ioredis';
import { withTimeout } from '../../src/core/with-timeout.js';

const TTL_SECONDS = 7 * 24 * 3600;
const TIMEOUT_MS = 500;

export class DeliveryMarks {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(id: string): string {
    return `${this.prefix}:wechat:sent:${id}`;
  }

  async delivered(id: string): Promise<boolean> {
    try {
      return (await withTimeout(this.redis.exists(this.key(id)), TIMEOUT_MS, 'mark get')) === 1;
    } catch {
      return false;
    }
  }

  async mark(id: string): Promise<void> {
    try {
      await withTimeout(this.redis.set(this.key(id), '1', 'EX', TTL_SECONDS), TIMEOUT_MS, 'mark set');
    } catch {
      // Worst case the part is sent again on a retry.
    }
  }
}
