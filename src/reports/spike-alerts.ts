// Raising spike alerts: each spike found by detectSpikes is recorded once per street, category and local day
// (a Redis SET NX decides, so several gateway instances checking at once still alert once), kept in a capped
// list the console shows, and — when STAFF_ALERT_CHANNEL=<channel>:<conversation id> is set — sent to
// the staff channel as an `outbound` job whose job id is the same key (BullMQ drops a second add).
import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import type { Db } from '../tickets/db.js';
import type { OutboundJob } from '../queue/queues.js';
import { CHANNEL_NAMES, type ChannelName } from '../core/envelope.js';
import { jobIdFor } from '../core/job-id.js';
import { maskPersonalData } from '../core/mask.js';
import { detectSpikes, type Spike, type SpikeOptions } from './spikes.js';
import { categoryLabel } from './labels.js';
import { localDate } from './period.js';

export interface StaffAddress {
  channel: ChannelName;
  conversationId: string;
}

export interface SpikeAlert extends Spike {
  key: string;
  raisedAt: string;
  /** Whether a staff-channel message was queued for it. */
  notified: boolean;
}

const KEEP_ALERTS = 500;
const SEEN_TTL_S = 3 * 86_400;

/**
 * The staff channel from the configuration (STAFF_ALERT_CHANNEL=<channel>:<conversation id>, parsed in
 * src/config.ts and shared with the overdue escalations), when it names a known channel.
 */
export function staffAddressFrom(staff: { channel: string; conversationId: string } | undefined): StaffAddress | undefined {
  if (!staff) return undefined;
  if (!(CHANNEL_NAMES as readonly string[]).includes(staff.channel))
    throw new Error(`STAFF_ALERT_CHANNEL must start with one of ${CHANNEL_NAMES.join(', ')} (got ${staff.channel})`);
  return { channel: staff.channel as ChannelName, conversationId: staff.conversationId };
}

export function alertText(s: Spike, timeZone: string): string {
  const fmt = (iso: string) =>
    new Intl.DateTimeFormat('zh-CN', { timeZone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
  const head = `【突发预警】${s.district}${s.street}「${categoryLabel(s.category)}」类诉求激增：${fmt(s.windowStart)}至${fmt(s.windowEnd)}共${s.count}件，`;
  const usual = `平时每日约${s.mean.toFixed(1)}件。`;
  const list = s.tickets.length ? `相关工单：${s.tickets.slice(0, 10).join('、')}${s.tickets.length > 10 ? ` 等${s.tickets.length}件` : ''}。` : '';
  return maskPersonalData(head + usual + list);
}

/** The alerter for a process's configuration: the console and the scheduled check build it alike. */
export function createSpikeAlerter(config: { queuePrefix: string; timeZone: string; staffAlert?: { channel: string; conversationId: string } }, db: Db, outbound: Queue<OutboundJob>): SpikeAlerter {
  return new SpikeAlerter({
    db,
    // BullMQ's own producer connection serves the alerter's few Redis reads and writes.
    redis: () => outbound.getBackend().client as unknown as Promise<Redis>,
    outbound,
    prefix: config.queuePrefix,
    timeZone: config.timeZone,
    staff: staffAddressFrom(config.staffAlert),
  });
}

export class SpikeAlerter {
  constructor(
    private readonly deps: {
      db: Db;
      redis: () => Promise<Redis>;
      outbound: Queue<OutboundJob>;
      prefix: string;
      timeZone: string;
      staff?: StaffAddress;
    },
  ) {}

  private get listKey() {
    return `${this.deps.prefix}:spike-alerts`;
  }

  /** Detects spikes now and raises the ones not raised yet today; returns the new alerts. */
  async check(options: SpikeOptions): Promise<SpikeAlert[]> {
    const spikes = await detectSpikes(this.deps.db, options);
    const redis = await this.deps.redis();
    const day = localDate(options.asOf, this.deps.timeZone);
    const raised: SpikeAlert[] = [];
    for (const s of spikes) {
      const key = `spike|${day}|${s.district}|${s.street}|${s.category}`;
      const first = await redis.set(`${this.deps.prefix}:spike-seen:${key}`, '1', 'EX', SEEN_TTL_S, 'NX');
      if (first !== 'OK') continue;
      const alert: SpikeAlert = { ...s, key, raisedAt: new Date().toISOString(), notified: Boolean(this.deps.staff) };
      if (this.deps.staff) {
        const id = jobIdFor(key);
        try {
          await this.deps.outbound.add(
            'spike-alert',
            { address: { channel: this.deps.staff.channel, conversationId: this.deps.staff.conversationId }, reply: { id, text: alertText(s, this.deps.timeZone) } },
            { jobId: id },
          );
        } catch (err) {
          // Not queued: forget that we saw it, so the next check raises it again.
          // Redis away too: the mark stays until it expires, and the spike is raised again after that.
          await redis.del(`${this.deps.prefix}:spike-seen:${key}`).catch(() => {});
          throw err;
        }
      }
      await redis.multi().lpush(this.listKey, JSON.stringify(alert)).ltrim(this.listKey, 0, KEEP_ALERTS - 1).exec();
      raised.push(alert);
    }
    return raised;
  }

  /** The alerts raised so far, newest first. */
  async list(limit = 100): Promise<SpikeAlert[]> {
    const redis = await this.deps.redis();
    const items = await redis.lrange(this.listKey, 0, limit - 1);
    return items.flatMap((s) => {
      try {
        return [JSON.parse(s) as SpikeAlert];
      } catch {
        return [];
      }
    });
  }
}
