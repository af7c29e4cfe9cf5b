// What a demo shows besides tickets: conversations waiting for a person (转人工), one from each channel that
// gives a sample, and what each channel seeds for its own console. They live in Redis, written through the same
// classes the gateway uses, so the console reads them exactly as it reads live ones.
import type { Redis } from 'ioredis';
import { RedisHandoffDesk } from '../queue/handoff-desk.js';
import { RedisConversationLog } from '../queue/conversation-log-redis.js';
import type { ChannelName } from '../core/envelope.js';

const MIN = 60_000;

/** A conversation waiting for a person (转人工), as a channel's demo gives it (channels/<name>/index.ts). */
export interface DemoHandoff {
  minutesAgo: number;
  lang: 'zh' | 'en';
  /** The citizen's talk with the bot ahead of 转人工, which the operator reads in the transcript. */
  before?: [from: 'citizen' | 'bot', text: string][];
  turns: [from: 'citizen' | 'agent', text: string][];
}

export interface DemoActivityChannel {
  name: string;
  demo: { handoff?: DemoHandoff; seedActivity?(redis: Redis, prefix: string, now: Date): Promise<string> };
}

/** Seeds the handoffs the channels give and each channel's own activity; returns what was seeded, in words. */
export async function seedDemoActivity(redis: Redis, prefix: string, channels: DemoActivityChannel[], now = new Date()): Promise<{ handoffs: number; activity: string[] }> {
  const desk = new RedisHandoffDesk(redis, prefix);
  const conversationLog = new RedisConversationLog(redis, prefix);
  const handoffs = channels.flatMap((c) => (c.demo.handoff ? [{ channel: c.name as ChannelName, ...c.demo.handoff }] : [])).sort((a, b) => a.minutesAgo - b.minutesAgo);
  for (const [i, h] of handoffs.entries()) {
    const conversationId = `demo-${h.channel}-${i + 1}`;
    const since = new Date(now.getTime() - h.minutesAgo * MIN);
    const address = { channel: h.channel, conversationId, senderId: `demo-citizen-${i + 1}`, isPublic: false };
    await desk.close(address);
    await conversationLog.clear(address);
    const before = h.before ?? [];
    await conversationLog.append(
      address,
      before.map(([from, text], k) => ({ id: `demo-${i + 1}-${k}`, from, text, at: new Date(since.getTime() - (before.length - k) * MIN).toISOString() })),
    );
    await desk.open(address, h.lang, since);
    for (const [k, [from, text]] of h.turns.entries()) await desk.record(address, from, text, new Date(since.getTime() + k * MIN));
  }
  const activity: string[] = [];
  for (const c of channels) if (c.demo.seedActivity) activity.push(await c.demo.seedActivity(redis, prefix, now));
  return { handoffs: handoffs.length, activity };
}
