// Keeps every gateway's NLU on the newest knowledge in the database: the knowledge-base version and the
// category corrections. A change is announced on the Redis channel `<prefix>:knowledge` and every process
// subscribed to it reloads at once; a version check at start and every `pollMs` catches an announcement that
// was lost (Redis down at that moment, a change made by `jiesu kb import` with Redis out of reach).
// Refreshes are serialized, so a burst of announcements reloads once per new version, in order.
import { Redis } from 'ioredis';
import { watchConnection } from '../connection-state-log.js';
import type { Logger } from '../log.js';
import { withRedisOnce } from '../redis-once.js';
import type { KnowledgeSource } from '../tickets/knowledge-sources.js';

export function knowledgeChannel(prefix: string): string {
  return `${prefix}:knowledge`;
}

/** Tells every gateway that the knowledge changed (best effort: the periodic check covers a failure). */
export async function announceKnowledgeChange(redis: Redis, prefix: string, what: string): Promise<void> {
  await redis.publish(knowledgeChannel(prefix), what).catch(() => 0);
}

export class KnowledgeSync {
  private subscriber: Redis | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly sources: KnowledgeSource[],
    private readonly opts: { redisUrl: string; prefix: string; log: Logger; pollMs?: number },
  ) {}

  /** Loads the newest knowledge, then follows changes. */
  async start(): Promise<void> {
    await this.refresh();
    const sub = new Redis(this.opts.redisUrl, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 2000) });
    watchConnection(sub, this.opts.log, 'knowledge announcements');
    sub.on('message', () => void this.refresh());
    // A resubscription after a lost connection may have missed announcements: look once more.
    sub.on('ready', () => void this.refresh());
    await sub.subscribe(knowledgeChannel(this.opts.prefix)).catch((err: Error) => this.opts.log.warn({ err: err.message }, 'knowledge announcements not followed; checking periodically'));
    this.subscriber = sub;
    this.timer = setInterval(() => void this.refresh(), this.opts.pollMs ?? 30_000);
    this.timer.unref();
  }

  /** Runs every source's refresh after the ones already running; never throws (the old knowledge keeps serving). */
  refresh(): Promise<void> {
    this.running = this.running.then(async () => {
      for (const s of this.sources) {
        try {
          await s.refresh();
        } catch (err) {
          this.opts.log.warn({ err: (err as Error).message, source: s.name }, 'knowledge not reloaded; the previous one keeps serving');
        }
      }
    });
    return this.running;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.subscriber?.disconnect();
    await this.running;
  }
}

/**
 * From a process that is no gateway (`jiesu kb import`): announces on REDIS_URL, else a local Redis. When none
 * answered, why (no gateway can be running on it, or the periodic check covers it).
 */
export async function announceFromOutside(redisUrl: string | undefined, prefix: string, what: string): Promise<{ announced: true } | { notReached: string }> {
  const r = await withRedisOnce(redisUrl, (client) => client.publish(knowledgeChannel(prefix), what));
  return r.reached ? { announced: true } : { notReached: r.reason };
}
