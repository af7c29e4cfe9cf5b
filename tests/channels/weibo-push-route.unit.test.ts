// Weibo's fan-service push on its own, with a recording intake: a push it cannot read is answered as every
// route answers bad input (400 invalid_request naming the field) and reaches nothing. Redis is the real one,
// for the replay check that runs before the body is read.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../channels/replay-guard.js';
import type { ChannelContext } from '../../channels/shared/channel-context.js';
import { weiboPushRouter } from '../../channels/weibo/push-route.js';
import { pushSignature } from '../../channels/weibo/push-signature.js';
import { WEIBO_PUSH_PATH } from '../../channels/weibo/weibo-config.js';
import type { InboundMessage } from '../../src/core/envelope.js';
import { createLogger } from '../../src/log.js';
import { testChannelContext } from '../helpers/channel-context.js';
import { uniquePrefix } from '../helpers/databases.js';

const SECRET = 'weibo-push-unit-secret-01';
const handled: InboundMessage[] = [];
let server: Server;
let base = '';
let ctx: ChannelContext;

beforeAll(async () => {
  ctx = testChannelContext(uniquePrefix('weibo-push-unit'));
  const replays = new ReplayGuard(ctx.redis.client, `${ctx.prefix}:weibo`, 300_000);
  await replays.ready();
  const app = express();
  app.use(weiboPushRouter({ appSecret: SECRET, accountUid: undefined, handle: async (m) => void handled.push(m), replays, log: createLogger('silent') }));
  server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  ctx.redis.close();
  await new Promise<void>((r) => server.close(() => r()));
});

/** POSTs these bytes to a freshly signed push URL. */
async function push(body: string): Promise<{ status: number; body: any }> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomInt(1e8, 1e9));
  const q = new URLSearchParams({ signature: pushSignature(SECRET, timestamp, nonce), timestamp, nonce });
  const res = await fetch(`${base}${WEIBO_PUSH_PATH}?${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

const textPush = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'text', receiver_id: 5_000_000_001, sender_id: 6_000_000_001, created_at: 'Fri Dec 04 09:20:18 +0800 2026', text: '路灯坏了', data: {}, ...fields });

describe('weibo push route', () => {
  it('hands a readable push to the intake', async () => {
    handled.length = 0;
    expect((await push(textPush())).status).toBe(200);
    expect(handled.map((m) => m.text)).toEqual(['路灯坏了']);
  });

  it('answers a push it cannot read 400 invalid_request naming the field, and hands nothing over', async () => {
    handled.length = 0;
    const refused = [await push(textPush({ sender_id: 'someone' })), await push('{"type": "text", ')];
    expect(refused).toEqual([
      { status: 400, body: { error: 'invalid_request', field: 'sender_id', reason: expect.stringMatching(/^weibo push: sender_id: /) } },
      { status: 400, body: { error: 'invalid_request', field: 'body', reason: 'body: is not valid JSON' } },
    ]);
    expect(handled).toEqual([]);
  });
});
