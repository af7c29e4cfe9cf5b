// The WeChat route with a scripted intake (no database): what each intake outcome becomes on the wire. Redis is
// the real one: the plain-mode replay check needs it (push-replay.int.test.ts covers Redis down).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { WechatAdapter } from '../../channels/wechat/wechat-adapter.js';
import { WechatPusher } from '../fakes/wechat-api.js';
import type { Intake, IntakeResult } from '../../src/core/channel-adapter.js';
import type { InboundMessage } from '../../src/core/envelope.js';
import { IntakeUnavailableError } from '../../src/core/errors.js';
import { uniquePrefix } from '../helpers/databases.js';
import { testChannelContext } from '../helpers/channel-context.js';
import type { ChannelContext } from '../../channels/shared/channel-context.js';

const log = pino({ level: 'silent' });
const TOKEN = 'unitTestToken1';
const APP_ID = 'wx5f8a1b2c3d4e5f60';
let next: () => Promise<IntakeResult>;
const seen: InboundMessage[] = [];
const intake: Intake = {
  handle: async (m) => {
    seen.push(m);
    return next();
  },
  countRefused: async () => ({ ok: true, retryAfterMs: 0 }),
};

let server: Server;
let base = '';
let wechatAdapter: WechatAdapter;
let channelContext: ChannelContext;

beforeAll(async () => {
  channelContext = testChannelContext(uniquePrefix('wechat-unit'), { log });
  wechatAdapter = new WechatAdapter(
    { token: TOKEN, appId: APP_ID, appSecret: 'c0ffee00c0ffee00c0ffee00c0ffee00', apiBase: 'http://127.0.0.1:1', replayWindowSeconds: 300 },
    channelContext,
  );
  const app = express();
  const router = express.Router();
  app.use(router);
  const ctx = { intake, router, log, onUpgrade: () => {}, leadership: { lead: (_role: string, lead: (s: AbortSignal) => Promise<void>, stop: AbortSignal) => lead(stop) }, outbound: { add: async () => {}, ready: async () => {} } };
  await wechatAdapter.start(ctx);
  server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await wechatAdapter.stop();
  channelContext.redis.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const pusher = () => new WechatPusher({ url: `${base}/api/channels/wechat`, token: TOKEN, appId: APP_ID });
const OPENID = 'oR5GJt7XyZk2Lm9Qp3Vw1AbCdEfG';

describe('WeChat route', () => {
  it('answers 503 with Retry-After when the intake cannot make the message durable', async () => {
    next = async () => {
      throw new IntakeUnavailableError('queue unavailable', 7);
    };
    const r = await fetch(`${base}/api/channels/wechat?${pusher().signedQuery()}`, { method: 'POST', body: pusher().textXml(OPENID, '投诉') });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('7');
  });

  it('numbers only the last reply’s buttons in a passive answer', async () => {
    next = async () => ({
      status: 'answered',
      duplicate: false,
      replies: [
        { text: '第一段', quickReplies: [{ label: 'x', payload: 'x' }] },
        { text: '您是想咨询以下哪一项？', kind: 'question', quickReplies: [{ label: '公积金提取', payload: 'faq:a' }, { label: '登记工单', payload: 'ticket:make' }] },
      ],
    });
    const r = await pusher().push(pusher().textXml(OPENID, '公积金'));
    expect(r.reply?.Content).toBe('第一段\n\n您是想咨询以下哪一项？\n1. 公积金提取\n2. 登记工单\n（请回复数字）');
  });

  it('answers `success` when there is nothing to say now (handoff, queued)', async () => {
    next = async () => ({ status: 'answered', duplicate: false, replies: [] });
    expect((await pusher().push(pusher().textXml(OPENID, '在吗'))).body).toBe('success');
    next = async () => ({ status: 'queued', duplicate: false, replies: [{ text: '已受理', kind: 'ack' }] });
    expect((await pusher().push(pusher().textXml(OPENID, '确认'))).body).toBe('success');
  });

  it('clips a passive answer to what WeChat accepts', async () => {
    next = async () => ({ status: 'answered', duplicate: false, replies: [{ text: '井'.repeat(3000) }] });
    const r = await pusher().push(pusher().textXml(OPENID, '长答案'));
    expect(Buffer.byteLength(String(r.reply?.Content))).toBeLessThanOrEqual(2000);
  });

  it('hands the intake the envelope, and nothing for refused pushes', async () => {
    seen.length = 0;
    next = async () => ({ status: 'answered', duplicate: false, replies: [{ text: 'ok' }] });
    await pusher().push(pusher().textXml(OPENID, '路灯坏了', '24513287469033999'));
    await pusher().push(pusher().textXml(OPENID, '路灯坏了'), { forge: true });
    expect(seen.map((m) => [m.id, m.channel, m.conversationId, m.text])).toEqual([['wechat:24513287469033999', 'wechat', OPENID, '路灯坏了']]);
  });

  it('answers a push or a URL check it cannot read 400 invalid_request naming the field, and takes nothing', async () => {
    seen.length = 0;
    next = async () => ({ status: 'answered', duplicate: false, replies: [{ text: 'ok' }] });
    const refused = [
      await pusher().push(pusher().textXml('not an openid', '路灯坏了')),
      await pusher().push(pusher().textXml(OPENID, '路灯坏了').replace(/<MsgId>\d+<\/MsgId>/, '')),
      await pusher().push('<xml><ToUserName>gh_1</ToUserName>'),
    ];
    expect(refused.map((r) => [r.status, JSON.parse(r.body)])).toEqual([
      [400, { error: 'invalid_request', field: 'FromUserName', reason: '<FromUserName> is not an OpenID' }],
      [400, { error: 'invalid_request', field: 'MsgId', reason: '<MsgId> is missing' }],
      [400, { error: 'invalid_request', field: 'body', reason: expect.stringMatching(/^malformed XML: /) }],
    ]);
    const check = await pusher().verify('');
    expect([check.status, JSON.parse(check.body)]).toEqual([400, { error: 'invalid_request', field: 'echostr', reason: expect.stringMatching(/^echostr: /) }]);
    expect(seen).toEqual([]);
  });
});
