// Telegram's limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this): about
// one message a second per chat and 30 a second overall. Shared through Redis so every worker process counts
// against the same budget. Over the limit, acquire() throws a ChannelApiError with the wait, which the
// outbound worker turns into a delay without spending an attempt. With Redis down it lets messages through:
// a reply sent a little fast beats a reply not sent.
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChannelApiError } from '../../src/core/errors.js';
import { withTimeout } from '../../src/core/with-timeout.js';

export interface SendLimits {
  /** Minimum gap between two messages to one chat. Default 1000 ms. */
  perChatIntervalMs: number;
  /** Messages per second across all chats. Default 30. */
  globalPerSecond: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = { perChatIntervalMs: 1000, globalPerSecond: 30 };

// Returns 0 when a message may go now (and books the slot), else how many ms to wait.
const ACQUIRE = `
local chatWait = redis.call('PTTL', KEYS[1])
if chatWait > 0 then return chatWait end
local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('PEXPIRE', KEYS[2], 1000) end
if n > tonumber(ARGV[2]) then
  local w = redis.call('PTTL', KEYS[2])
  if w <= 0 then w = 1000 end
  return w
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return 0`;

export class SendLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: SendLimits = DEFAULT_SEND_LIMITS,
  ) {}

  /**
   * Books a slot for one message to the chat. Waits in place when the wait is at most `maxWaitMs` (the next
   * part of a reply already being sent), else throws so the job is delayed and the worker freed.
   */
  async acquire(chatId: string, maxWaitMs = 0): Promise<void> {
    for (;;) {
      const waitMs = await this.tryAcquire(chatId);
      if (waitMs === 0) return;
      if (waitMs > maxWaitMs) throw new ChannelApiError(`telegram: chat ${chatId} rate limit, wait ${waitMs} ms`, 429, 'local_rate_limit', waitMs);
      await sleep(waitMs);
    }
  }

  /** 0 when the slot is booked (or Redis cannot tell), else the wait in ms. */
  private async tryAcquire(chatId: string): Promise<number> {
    try {
      const keys = [`${this.prefix}:telegram:rate:chat:${chatId}`, `${this.prefix}:telegram:rate:all`];
      const args = [this.limits.perChatIntervalMs, this.limits.globalPerSecond];
      return Number(await withTimeout(this.redis.eval(ACQUIRE, keys.length, ...keys, ...args) as Promise<unknown>, 250, 'telegram rate limit'));
    } catch {
      return 0;
    }
  }
}
