// The web chat's live pushes across gateway instances (channels/webchat/socket-hub.ts): each session has its
// own Redis channel, an instance subscribes to it only while it holds one of the session's sockets, and a reply
// reaches that session's sockets, wherever they are, and nobody else's. Two hubs on two servers stand for two
// gateway instances; real Redis carries the replies.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocketHub } from '../../channels/webchat/socket-hub.js';
import { RedisConversationLog } from '../../src/queue/conversation-log-redis.js';
import type { ConversationTurn, LogEntry } from '../../src/core/conversation-log.js';
import type { WidgetItem } from '../../channels/webchat/widget-item.js';
import { createLogger } from '../../src/log.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';
import { waitUntil } from '../helpers/webchat-client.js';

const prefix = uniquePrefix('wp');
const log = createLogger('silent');
const redis = new Redis(TEST_REDIS_URL);
const conversationLog = new RedisConversationLog(redis, prefix);
const live = (sessionId: string) => conversationLog.liveChannel({ channel: 'webchat', conversationId: sessionId });
const history = {
  deliverAll: (deliveries: { sessionId: string; item: ConversationTurn }[]) =>
    conversationLog.appendEach(deliveries.map((d): LogEntry => ({ conversation: { channel: 'webchat', conversationId: d.sessionId }, turns: [d.item] }))),
  read: (sessionId: string) => conversationLog.read({ channel: 'webchat', conversationId: sessionId }),
};

interface Instance {
  hub: SocketHub;
  server: Server;
  url: string;
}
const instances: Instance[] = [];

async function startInstance(): Promise<Instance> {
  const hub = new SocketHub(live, log);
  await hub.start(TEST_REDIS_URL);
  const server = createServer((_req, res) => res.end());
  server.on('upgrade', hub.handleUpgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const instance = { hub, server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
  instances.push(instance);
  return instance;
}

interface Widget {
  ws: WebSocket;
  got: string[];
}

async function openWidget(instance: Instance, sessionId: string): Promise<Widget> {
  const ws = new WebSocket(`${instance.url}/api/webchat/ws?sessionId=${sessionId}`);
  const got: string[] = [];
  ws.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as { type: string; message?: WidgetItem };
    // Staff-only fields (which operator, which FAQ entry) would show up as ':leaked' in what the widget got.
    if (frame.type === 'message') got.push(`${frame.message!.id}:${frame.message!.text}${'agent' in frame.message! || 'faqId' in frame.message! ? ':leaked' : ''}`);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, got };
}

async function closeWidget(w: Widget): Promise<void> {
  await new Promise<void>((resolve) => {
    w.ws.once('close', () => resolve());
    w.ws.close();
  });
}

// An operator's turn: the widget must not learn who wrote it (the push carries what widget-item.ts keeps).
const item = (id: string, text: string): ConversationTurn => ({ id, from: 'bot', text, kind: 'ticket', at: new Date().toISOString(), agent: '王芳', faqId: 'f1' });

async function subscribers(sessionId: string): Promise<number> {
  const [, n] = (await redis.pubsub('NUMSUB', live(sessionId))) as [string, number];
  return Number(n);
}

let one: Instance;
let two: Instance;
beforeAll(async () => {
  one = await startInstance();
  two = await startInstance();
});

afterAll(async () => {
  for (const i of instances) {
    await i.hub.stop();
    await new Promise((resolve) => i.server.close(resolve));
  }
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('web chat pushes', () => {
  it("reaches the session's sockets on whichever instance holds them, and no one else's", async () => {
    const a = await openWidget(one, 'session-a');
    const b = await openWidget(two, 'session-b');
    // Only the instance holding a session listens for it.
    expect(await subscribers('session-a')).toBe(1);
    expect(await subscribers('session-b')).toBe(1);
    expect([one.hub.subscriptionCount(), two.hub.subscriptionCount()]).toEqual([1, 1]);

    expect(await history.deliverAll([
      { sessionId: 'session-a', item: item('a1', '工单已受理 A') },
      { sessionId: 'session-b', item: item('b1', '工单已受理 B') },
      { sessionId: 'session-nobody', item: item('n1', '无人在线') },
    ])).toEqual([undefined, undefined, undefined]);
    await waitUntil(() => a.got.length === 1 && b.got.length === 1, 5000);
    // The one nobody is connected for is stored for the next visit, not pushed anywhere.
    expect((await history.read('session-nobody')).map((i) => i.id)).toEqual(['n1']);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.got).toEqual(['a1:工单已受理 A']);
    expect(b.got).toEqual(['b1:工单已受理 B']);
    await closeWidget(a);
    await closeWidget(b);
  });

  it('keeps one subscription per session however many tabs, and drops it with the last one', async () => {
    const tab1 = await openWidget(one, 'session-c');
    const tab2 = await openWidget(one, 'session-c');
    const phone = await openWidget(two, 'session-c');
    expect(await subscribers('session-c')).toBe(2); // one per instance, not per socket

    await history.deliverAll([{ sessionId: 'session-c', item: item('c1', '已派至街道') }]);
    await waitUntil(() => tab1.got.length === 1 && tab2.got.length === 1 && phone.got.length === 1, 5000);

    await closeWidget(tab1);
    await waitUntil(() => one.hub.connectionCount() === 1, 5000);
    expect(one.hub.subscriptionCount()).toBe(1);
    await history.deliverAll([{ sessionId: 'session-c', item: item('c2', '已办结') }]);
    await waitUntil(() => tab2.got.length === 2 && phone.got.length === 2, 5000);

    await closeWidget(tab2);
    await closeWidget(phone);
    await waitUntil(async () => (await subscribers('session-c')) === 0, 5000);
    expect([one.hub.subscriptionCount(), two.hub.subscriptionCount()]).toEqual([0, 0]);
  });

  it('listens again after its Redis connection drops', async () => {
    const w = await openWidget(two, 'session-e');
    // The hub's own subscriber connection is cut under it, as a Redis restart or a network blip would.
    (two.hub as unknown as { subscriber: Redis }).subscriber.stream.destroy();
    // A new reply each try: a reply is published once, when it is first appended.
    let n = 0;
    await waitUntil(async () => {
      await history.deliverAll([{ sessionId: 'session-e', item: item(`e${++n}`, '已受理') }]);
      return w.got.length > 0;
    }, 10_000);
    expect(w.got[0]).toMatch(/^e\d+:已受理$/);
    await closeWidget(w);
  });

  it('leaves no subscription behind for a handshake that never opened', async () => {
    // An upgrade request without a Sec-WebSocket-Key: the ws library refuses it after the subscription was asked for.
    const port = Number(new URL(one.url).port);
    const socket: Socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /api/webchat/ws?sessionId=session-d HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.once('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    await waitUntil(async () => (await subscribers('session-d')) === 0 && one.hub.subscriptionCount() === 0, 5000);
  });

  it('refuses a socket without a valid session id before subscribing to anything, as invalid_request naming it', async () => {
    const ws = new WebSocket(`${one.url}/api/webchat/ws?sessionId=${encodeURIComponent('../../etc')}`);
    const answer = await new Promise<{ status: number; body: string }>((resolve) =>
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }),
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: 'invalid_request', field: 'sessionId', reason: expect.stringMatching(/^sessionId: /) });
    expect(one.hub.subscriptionCount()).toBe(0);
  });
});
