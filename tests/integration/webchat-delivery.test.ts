// Replies the ticket worker delivers straight to the web chat (no outbound job): a batch is appended to the
// conversation log and pushed in one Redis round trip, each reply once however often it is delivered. Through the channel registry, replies for channels that do not deliver locally are left for the
// outbound queue, and a Redis that is gone leaves all of them for it.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { WebchatAdapter } from '../../channels/webchat/webchat-adapter.js';
import { RedisConversationLog } from '../../src/queue/conversation-log-redis.js';
import { failFastRedis } from '../../src/queue/redis.js';
import { ChannelRegistry } from '../../src/core/channel-registry.js';
import type { Address, Reply } from '../../src/core/envelope.js';
import type { ChannelAdapter } from '../../src/core/channel-adapter.js';
import { createLogger } from '../../src/log.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';
import { waitUntil } from '../helpers/webchat-client.js';

const log = createLogger('silent');
const prefix = uniquePrefix('wd');
const reader = new Redis(TEST_REDIS_URL);
const conversationLog = new RedisConversationLog(reader, prefix);
const adapter = new WebchatAdapter({ redisUrl: TEST_REDIS_URL, conversationLog, log, timeZone: 'Asia/Shanghai' });
const history = { read: (sessionId: string) => conversationLog.read({ channel: 'webchat', conversationId: sessionId }) };
const subscriber = new Redis(TEST_REDIS_URL);

const to = (session: string): Address => ({ channel: 'webchat', conversationId: session, senderId: session, isPublic: false });
const reply = (id: string, text: string): Reply => ({ id, text, kind: 'ticket', ticketNumber: '20261128-000001' });

afterAll(async () => {
  const keys = await reader.keys(`${prefix}:*`);
  if (keys.length) await reader.del(...keys);
  await adapter.stop();
  reader.disconnect();
  subscriber.disconnect();
});

describe('web chat delivery', () => {
  it('stores a batch once per id and pushes each reply once', async () => {
    const pushed: { sessionId: string; item: { id: string } }[] = [];
    const channels = conversationLog.liveChannel({ channel: 'webchat', conversationId: '' });
    await subscriber.psubscribe(`${channels}*`);
    subscriber.on('pmessage', (_pattern, channel, payload) => pushed.push({ sessionId: channel.slice(channels.length), item: JSON.parse(payload) }));

    const first = await adapter.deliverLocally([
      { to: to('s1'), reply: reply('confirm-a', '已受理 A') },
      { to: to('s2'), reply: reply('confirm-b', '已受理 B') },
    ]);
    expect(first).toEqual([undefined, undefined]);
    // A retried batch (the worker died after delivering): nothing new is stored or pushed (a widget that was not
    // connected the first time reads the history when it connects).
    const again = await adapter.deliverLocally([{ to: to('s1'), reply: reply('confirm-a', '已受理 A') }]);
    expect(again).toEqual([undefined]);
    await adapter.send(to('s1'), reply('feedback-a', '已办结'));

    expect((await history.read('s1')).map((i) => [i.id, i.text, i.from, i.ticketNumber])).toEqual([
      ['confirm-a', '已受理 A', 'bot', '20261128-000001'],
      ['feedback-a', '已办结', 'bot', '20261128-000001'],
    ]);
    expect((await history.read('s2')).map((i) => i.id)).toEqual(['confirm-b']);
    await waitUntil(() => pushed.length === 3, 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(pushed.map((p) => `${p.sessionId}/${p.item.id}`)).toEqual(['s1/confirm-a', 's2/confirm-b', 's1/feedback-a']);
  });

  it('delivers through the registry only where the channel delivers locally', async () => {
    const platformSends: string[] = [];
    const platform: ChannelAdapter = {
      name: 'telegram',
      start: async () => {},
      stop: async () => {},
      send: async (_to, r) => void platformSends.push(r.id!),
    };
    const registry = new ChannelRegistry().register(adapter).register(platform);
    const delivered = await registry.deliverLocally([
      { address: to('s3'), reply: reply('confirm-c', '已受理 C') },
      { address: { channel: 'telegram', conversationId: '42', senderId: '42', isPublic: false }, reply: reply('confirm-d', '已受理 D') },
      { address: to('s4'), reply: reply('confirm-e', '已受理 E') },
    ]);
    expect(delivered).toEqual([true, false, true]);
    // The platform's reply is the outbound queue's to send (with its retries and rate limits), not sent here.
    expect(platformSends).toEqual([]);
    expect((await history.read('s4')).map((i) => i.id)).toEqual(['confirm-e']);
  });

  it('leaves every reply for the outbound queue when Redis cannot take them', async () => {
    const gone = failFastRedis('redis://127.0.0.1:1');
    const down = new WebchatAdapter({ redisUrl: 'redis://127.0.0.1:1', conversationLog: new RedisConversationLog(gone, prefix), log, timeZone: 'Asia/Shanghai' });
    try {
      const registry = new ChannelRegistry().register(down);
      expect(await registry.deliverLocally([{ address: to('s5'), reply: reply('confirm-f', 'x') }])).toEqual([false]);
      await expect(down.send(to('s5'), reply('confirm-f', 'x'))).rejects.toThrow();
    } finally {
      await down.stop();
      gone.disconnect();
    }
  });
});
