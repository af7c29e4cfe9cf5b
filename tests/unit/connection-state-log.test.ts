// Connection outages are logged once when they start and once when they end, never once per retry, and never
// dropped: a Redis client and a BullMQ queue behind a proxy that goes down and comes back.
import { afterEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { connectionState, watchConnection, watchQueue } from '../../src/connection-state-log.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { waitUntil } from '../helpers/webchat-client.js';

function capturingLog() {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  return { log, lines, of: (msg: RegExp) => lines.filter((l) => msg.test(l.msg)) };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('connection state log', () => {
  it('logs the first error of an outage and its end, nothing in between', () => {
    const { log, lines } = capturingLog();
    const state = connectionState(log, 'db');
    state.up();
    for (let i = 0; i < 5; i++) state.down(new Error(`refused ${i}`));
    state.up();
    state.up();
    state.down(new Error('again'));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'db: connection lost; retrying'],
      [30, 'db: connection back'],
      [40, 'db: connection lost; retrying'],
    ]);
    expect(lines[1]).toMatchObject({ errors: 5 });
  });

  it('follows a Redis client through an outage', async () => {
    const proxy = await TcpProxy.to(TEST_REDIS_URL.replace('redis:', 'http:'));
    cleanups.push(() => proxy.close());
    const { log, of } = capturingLog();
    const client = new Redis(`redis://127.0.0.1:${proxy.port}`, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 100 });
    cleanups.push(() => client.disconnect());
    watchConnection(client, log, 'redis');
    await waitUntil(() => client.status === 'ready', 5000, 'connected');
    proxy.down();
    await waitUntil(() => client.status !== 'ready', 5000, 'disconnected');
    await new Promise((r) => setTimeout(r, 800));
    expect(of(/connection lost/)).toHaveLength(1);
    proxy.restore();
    await waitUntil(() => of(/connection back/).length === 1, 5000, 'logged back');
    expect(of(/connection lost/)).toHaveLength(1);
  });

  it('follows a BullMQ queue through an outage', async () => {
    const proxy = await TcpProxy.to(TEST_REDIS_URL.replace('redis:', 'http:'));
    cleanups.push(() => proxy.close());
    const { log, of } = capturingLog();
    const queue = new Queue('watched', { connection: { host: '127.0.0.1', port: proxy.port, maxRetriesPerRequest: 1, retryStrategy: () => 100 }, prefix: uniquePrefix('watch') });
    cleanups.push(() => queue.close().catch(() => {}));
    watchQueue(queue, log, 'queue');
    await queue.waitUntilReady();
    proxy.down();
    await waitUntil(() => of(/connection lost/).length === 1, 5000, 'logged lost');
    await new Promise((r) => setTimeout(r, 800));
    expect(of(/connection lost/)).toHaveLength(1);
    proxy.restore();
    await waitUntil(() => of(/connection back/).length === 1, 5000, 'logged back');
  });
});
