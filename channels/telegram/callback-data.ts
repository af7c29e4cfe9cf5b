// Telegram carries at most 64 bytes of callback data per button, while the pipeline's quick-reply payloads
// may be longer. Those are stored in Redis under a short content-derived key (so storing twice is harmless)
// and the key rides on the button instead. Keys start with '#', which no stored-inline payload may.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ChannelApiError } from '../../src/core/errors.js';
import { withTimeout } from '../../src/core/with-timeout.js';

const MAX_BYTES = 64;
const KEY_MARK = '#';
/** Buttons stay pressable for as long as a return visit may take to be answered. */
const TTL_SECONDS = 30 * 24 * 3600;

export class CallbackData {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  /** What to put on a button for this payload. Throws (retried) when a long payload cannot be stored. */
  async encode(payload: string): Promise<string> {
    if (Buffer.byteLength(payload) <= MAX_BYTES && !payload.startsWith(KEY_MARK)) return payload;
    const key = KEY_MARK + createHash('sha256').update(payload).digest('base64url').slice(0, 22);
    try {
      await withTimeout(this.redis.set(this.redisKey(key), payload, 'EX', TTL_SECONDS), 1000, 'store callback data');
    } catch (err) {
      throw new ChannelApiError(`telegram: cannot store a long button payload: ${(err as Error).message}`);
    }
    return key;
  }

  /** The payload a pressed button stands for; undefined when its key expired or Redis is unreachable. */
  async decode(data: string): Promise<string | undefined> {
    if (!data.startsWith(KEY_MARK)) return data;
    try {
      return (await withTimeout(this.redis.get(this.redisKey(data)), 500, 'read callback data')) ?? undefined;
    } catch {
      return undefined;
    }
  }

  private redisKey(key: string): string {
    return `${this.prefix}:telegram:callback:${key}`;
  }
}
