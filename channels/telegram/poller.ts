// Long polling, for when the gateway has no public HTTPS URL. One loop: getUpdates (through the bot's telegraf
// client) from the last confirmed offset, hand each update to the bot (`bot.handleUpdate`) in order, confirm it
// by advancing the offset. An update whose replies could not be queued or sent is not confirmed, so the next
// poll returns it again. Errors are logged and waited out with capped exponential backoff; the loop never
// throws and stop() ends it promptly.
// Telegram allows one getUpdates consumer per bot (a second gets 409 Conflict), so with several gateways the
// loop runs only on the one holding the poller's leadership, and stops mid-poll the moment it loses it. Its
// successor starts from Telegram's confirmed offset; an update handed over but not yet confirmed comes again
// and is recognised by its message id.
//
// Why not `bot.launch()` (telegraf's `Polling`, lib/core/network/polling.js): it sets the offset past a whole
// batch before handing any of it over, and when a handler throws, its `finally` calls `syncUpdateOffset()`,
// which confirms that offset to Telegram — an update the intake could not take would be dropped. It also
// runs a batch's updates at once (`Promise.all`), so two messages of one chat would race through the dialogue,
// and its poll timeout (50 s) and retry wait (5 s) are fixed.
import { setTimeout as sleep } from 'node:timers/promises';
import { IntakeUnavailableError, NormalizationError } from '../../src/core/errors.js';
import type { TelegramApi } from './telegram-api.js';
import type { Logger } from '../../src/log.js';
import type { Leadership } from '../../src/core/leadership.js';

export interface PollerOptions {
  api: TelegramApi;
  handleUpdate(update: unknown): Promise<void>;
  log: Logger;
  leadership: Leadership;
  timeoutSeconds: number;
  /** First and longest wait after a failure. Defaults 1 s and 30 s. */
  backoffMs?: { min: number; max: number };
}

export class TelegramPoller {
  private readonly abort = new AbortController();
  /** Aborted when this gateway stops polling: stop(), or the leadership lost. */
  private term: AbortSignal = this.abort.signal;
  private loop?: Promise<void>;
  private offset = 0;
  private failures = 0;

  constructor(private readonly opts: PollerOptions) {}

  start(): void {
    this.loop ??= this.opts.leadership.lead('telegram:poller', (term) => this.run(term), this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(term: AbortSignal): Promise<void> {
    const { api, log } = this.opts;
    this.term = term;
    // getUpdates answers 409 while a webhook is set (left over from a run in webhook mode).
    await api.deleteWebhook().catch((err: Error) => log.warn({ err: err.message }, 'telegram deleteWebhook failed'));
    while (!this.term.aborted) {
      let updates: unknown[];
      try {
        updates = await api.getUpdates(this.offset, this.opts.timeoutSeconds, this.term);
      } catch (err) {
        if (this.term.aborted) break;
        await this.backoff('telegram getUpdates failed', err);
        continue;
      }
      // Backoff grows while nothing gets through, and starts over once something does.
      if (updates.length === 0) this.failures = 0;
      for (const update of updates) {
        if (this.term.aborted) break;
        if (!(await this.take(update))) break;
      }
    }
  }

  /** Hands one update over; false when it must be polled again later. */
  private async take(update: unknown): Promise<boolean> {
    const updateId = (update as { update_id?: unknown } | null)?.update_id;
    try {
      await this.opts.handleUpdate(update);
    } catch (err) {
      if (!(err instanceof NormalizationError)) {
        await this.backoff(err instanceof IntakeUnavailableError ? 'telegram update not taken (queue unavailable)' : 'telegram update failed', err);
        return false;
      }
      // A payload we cannot read will not get better by polling it again.
      this.opts.log.warn({ err: err.message, updateId }, 'telegram update skipped');
    }
    this.failures = 0;
    if (typeof updateId === 'number' && Number.isSafeInteger(updateId)) this.offset = Math.max(this.offset, updateId + 1);
    return true;
  }

  private async backoff(what: string, err: unknown): Promise<void> {
    const { min, max } = this.opts.backoffMs ?? { min: 1000, max: 30_000 };
    const waitMs = Math.min(max, min * 2 ** this.failures++);
    this.opts.log.warn({ err: (err as Error)?.message ?? String(err), retryInMs: waitMs }, what);
    // Rejects only when the term's end aborts the wait.
    await sleep(waitMs, undefined, { signal: this.term }).catch(() => {});
  }
}
