// The mentions poller: a background loop that asks Weibo for statuses and comments mentioning the account,
// newer than the stored cursors, and hands them to the intake oldest first.
//
// Paging: Weibo answers newest first. The first page is asked with since_id = cursor; while a page comes back
// full, the next is asked with max_id = (smallest id seen) − 1, so pages never overlap and mentions arriving
// meanwhile cannot shift them. Cursor: advanced to the largest id only once every mention up to it has been
// taken — processing goes oldest first, so after a failure the cursor stops just below the failed mention
// (storing the oldest id of a newest-first page, the classic bug, would refetch forever; storing the newest
// before handing over would lose mentions). Everything is also deduplicated by id (mentions log, intake
// ledger, job ids), so overlapping polls — two instances, a reset cursor — create nothing twice.
//
// Failures (network, 5xx, rate limits, intake unavailable) are reported and waited out with exponential
// backoff; the loop never throws and stop() ends it at once. Only one gateway polls at a time: the one holding
// the poller's leadership, which stops mid-poll the moment it loses it (another may then have taken over).
import { setTimeout as sleep } from 'node:timers/promises';
import { NormalizationError } from '../../src/core/errors.js';
import type { Leadership } from '../../src/core/leadership.js';
import type { Logger } from '../../src/log.js';
import type { CursorStore } from './cursor-store.js';
import type { Mention, MentionKind } from './normalize.js';
import { normalizeComment, normalizeStatus } from './normalize.js';
import { compareIds, parseWeiboDate } from './payload-schema.js';
import type { PollerStatus, PollerStatusStore } from './poller-status.js';
import type { RateBudget } from './rate-budget.js';
import { PAGE_SIZE, type WeiboApi } from './weibo-api.js';
import { WeiboApiError } from './weibo-error.js';

export interface PollerOptions {
  api: Pick<WeiboApi, 'statusMentions' | 'commentMentions'>;
  cursors: CursorStore;
  budget: RateBudget;
  status: PollerStatusStore;
  /** Hands one mention over; throws when it must be polled again. */
  take(m: Mention): Promise<unknown>;
  leadership: Leadership;
  log: Logger;
  intervalMs: number;
  backoffMs: { min: number; max: number };
  /** First run (no cursor yet): mentions older than this are skipped. */
  backfillMs: number;
  /** Mentions handed to the intake at once. */
  concurrency?: number;
  now?: () => number;
}

/** A poll's safety stop: 50 pages of 200 is more than Weibo keeps in the mentions timeline. */
const MAX_PAGES = 50;
const KINDS: MentionKind[] = ['status', 'comment'];

class BudgetExhausted extends Error {}

export class WeiboPoller {
  private readonly abort = new AbortController();
  /** Aborted when this gateway stops polling: stop(), or the leadership lost. */
  private term: AbortSignal = this.abort.signal;
  private loop?: Promise<void>;
  private failures = 0;
  private state: PollerStatus;
  private wake?: () => void;

  constructor(private readonly opts: PollerOptions) {
    this.state = { running: false, intervalMs: opts.intervalMs, failures: 0, cursors: {} };
  }

  start(): void {
    this.loop ??= this.opts.leadership.lead('weibo:poller', (term) => this.run(term), this.abort.signal);
  }

  /** Polls now instead of waiting out the interval (not during a backoff). */
  pollNow(): void {
    if (!this.state.backoffUntil) this.wake?.();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private async run(term: AbortSignal): Promise<void> {
    const { log } = this.opts;
    this.term = term;
    this.state.running = true;
    while (!term.aborted) {
      let waitMs = this.opts.intervalMs;
      const startedAt = this.now();
      this.state.backoffUntil = undefined;
      try {
        this.state.lastPollAt = startedAt;
        const taken = await this.cycle();
        this.failures = 0;
        this.state.lastOkAt = this.now();
        this.state.lastTaken = taken;
      } catch (err) {
        if (this.term.aborted) break;
        if (err instanceof BudgetExhausted) {
          waitMs = this.opts.budget.msToReset();
          this.state.backoffUntil = this.now() + waitMs;
          log.warn({ retryInMs: waitMs }, 'weibo hourly budget for polling used up; waiting for the next hour');
        } else {
          waitMs = Math.min(this.opts.backoffMs.max, this.opts.backoffMs.min * 2 ** this.failures++);
          const e = err instanceof WeiboApiError ? err : undefined;
          this.state.lastError = {
            message: (err as Error).message,
            ...(e?.weiboCode !== undefined ? { code: e.weiboCode } : {}),
            at: this.now(),
            rateLimited: e?.rateLimited ?? false,
          };
          this.state.backoffUntil = this.now() + waitMs;
          log.warn({ err: (err as Error).message, rateLimited: e?.rateLimited, retryInMs: waitMs }, 'weibo poll failed; backing off');
        }
      }
      this.state.failures = this.failures;
      this.state.nextPollAt = this.now() + waitMs;
      await this.publish();
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        sleep(waitMs, undefined, { signal: this.term }).then(resolve, resolve);
      });
      this.wake = undefined;
    }
    this.state.running = false;
    // Only a gateway that is stopping says so: after a lost lock, the status is the new leader's to write.
    if (this.abort.signal.aborted) await this.publish();
  }

  /** One poll of both timelines; returns how many mentions were handed over. */
  private async cycle(): Promise<number> {
    let taken = 0;
    for (const kind of KINDS) {
      const cursor = await this.opts.cursors.get(kind);
      const items = await this.fetchNew(kind, cursor);
      taken += await this.handOver(kind, items, cursor === undefined);
    }
    return taken;
  }

  private async fetchNew(kind: MentionKind, cursor: string | undefined): Promise<{ id: string; raw: unknown }[]> {
    const count = PAGE_SIZE[kind];
    const found = new Map<string, unknown>();
    const oldestWanted = this.now() - this.opts.backfillMs;
    let maxId: string | undefined;
    for (let page = 0; page < MAX_PAGES && !this.term.aborted; page++) {
      if (!(await this.opts.budget.take('poll'))) throw new BudgetExhausted();
      const q = { ...(cursor ? { sinceId: cursor } : {}), ...(maxId ? { maxId } : {}), count };
      const raw = kind === 'status' ? await this.opts.api.statusMentions(q, this.term) : await this.opts.api.commentMentions(q, this.term);
      let smallest: string | undefined;
      let reachedOld = false;
      for (const item of raw) {
        const id = rawId(item);
        if (!id) continue;
        if (!smallest || compareIds(id, smallest) < 0) smallest = id;
        if (cursor && compareIds(id, cursor) <= 0) continue;
        found.set(id, item);
        if (!cursor && (parseWeiboDate((item as { created_at?: string }).created_at)?.getTime() ?? Infinity) < oldestWanted) reachedOld = true;
      }
      // Caught up: a short page, the cursor reached, or (first run) the backfill window passed.
      if (raw.length < count || !smallest || (cursor && compareIds(smallest, cursor) <= 0) || reachedOld) break;
      maxId = (BigInt(smallest) - 1n).toString();
      if (page === MAX_PAGES - 1) this.opts.log.warn({ kind }, 'weibo mentions: page limit reached; older mentions are skipped');
    }
    return [...found.entries()].map(([id, raw]) => ({ id, raw })).sort((a, b) => compareIds(a.id, b.id));
  }

  /** Oldest first, a few at a time; the cursor follows the last mention before which all were taken. */
  private async handOver(kind: MentionKind, items: { id: string; raw: unknown }[], firstRun: boolean): Promise<number> {
    const size = this.opts.concurrency ?? 16;
    let taken = 0;
    for (let i = 0; i < items.length && !this.term.aborted; i += size) {
      const chunk = items.slice(i, i + size);
      const results = await Promise.allSettled(chunk.map((it) => this.takeOne(kind, it.raw, firstRun)));
      const failed = results.findIndex((r) => r.status === 'rejected');
      const ok = failed === -1 ? chunk.length : failed;
      taken += results.slice(0, ok).filter((r) => r.status === 'fulfilled' && r.value).length;
      if (ok > 0) await this.opts.cursors.advance(kind, chunk[ok - 1].id);
      if (failed !== -1) throw (results[failed] as PromiseRejectedResult).reason;
    }
    this.state.cursors[kind] = (await this.opts.cursors.get(kind)) ?? this.state.cursors[kind];
    return taken;
  }

  /** True when the mention went to the intake (or the log); false when skipped as unreadable or too old. */
  private async takeOne(kind: MentionKind, raw: unknown, firstRun: boolean): Promise<boolean> {
    let mention: Mention;
    try {
      mention = kind === 'status' ? normalizeStatus(raw, new Date(this.now())) : normalizeComment(raw, new Date(this.now()));
    } catch (err) {
      // A payload we cannot read will not get better by polling it again.
      if (err instanceof NormalizationError) {
        this.opts.log.warn({ err: err.message }, 'weibo mention skipped');
        return false;
      }
      throw err;
    }
    if (firstRun && mention.createdAt.getTime() < this.now() - this.opts.backfillMs) return false;
    await this.opts.take(mention);
    return true;
  }

  private async publish(): Promise<void> {
    try {
      this.state.budget = await this.opts.budget.state();
      this.state.cursors = { ...this.state.cursors, ...(await this.opts.cursors.all()) };
      await this.opts.status.write(this.state);
    } catch (err) {
      this.opts.log.debug({ err: (err as Error).message }, 'weibo poller status not written');
    }
  }
}

function rawId(item: unknown): string | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as { idstr?: unknown; id?: unknown };
  if (typeof o.idstr === 'string' && /^\d+$/.test(o.idstr)) return o.idstr;
  if (typeof o.id === 'string' && /^\d+$/.test(o.id)) return o.id;
  if (typeof o.id === 'number' && Number.isSafeInteger(o.id)) return String(o.id);
  return undefined;
}
