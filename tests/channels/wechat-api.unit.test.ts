// The customer-service API client against the local fake of WeChat: the access token is fetched once and
// shared, replaced when WeChat calls it expired, and every errcode becomes the right kind of failure for
// the outbound worker (retried, waited out, or given up).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWechatApi } from '../fakes/wechat-api.js';
import { WechatApi } from '../../channels/wechat/wechat-api.js';
import { ChannelApiError } from '../../src/core/errors.js';
import { replyText, splitForWechat, clipForWechat } from '../../channels/wechat/reply-text.js';

let fake: FakeWechatApi;
const OPENID = 'oR5GJt7XyZk2Lm9Qp3Vw1AbCdEfG';
const client = () => new WechatApi({ apiBase: fake.url, appId: fake.appId, appSecret: fake.appSecret });

beforeAll(async () => {
  fake = await new FakeWechatApi().start();
});
afterAll(async () => {
  await fake.stop();
});

async function failure(p: Promise<unknown>): Promise<ChannelApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ChannelApiError);
  return err as ChannelApiError;
}

describe('WeChat API client', () => {
  it('fetches the token once for concurrent sends and reuses it', async () => {
    const api = client();
    const tokensBefore = fake.tokenCalls().length;
    await Promise.all([1, 2, 3, 4, 5].map((i) => api.sendText(OPENID, `hello ${i}`)));
    await api.sendText(OPENID, 'again');
    expect(fake.tokenCalls().length - tokensBefore).toBe(1);
    expect(fake.delivered.slice(-6).map((d) => d.touser)).toEqual(Array(6).fill(OPENID));
  });

  it('replaces an expired token (42001) and sends once', async () => {
    const api = client();
    await api.sendText(OPENID, 'warm up');
    fake.expireTokens();
    const sentBefore = fake.delivered.length;
    const tokensBefore = fake.tokenCalls().length;
    await api.sendText(OPENID, 'after expiry');
    expect(fake.tokenCalls().length - tokensBefore).toBe(1);
    expect(fake.delivered.slice(sentBefore)).toEqual([{ touser: OPENID, content: 'after expiry' }]);
    expect(fake.sendCalls().some((c) => c.errcode === 42001)).toBe(true);
  });

  it('reports system busy (-1) and HTTP 500 as retryable, out-of-window (45015/45047) as permanent', async () => {
    const api = client();
    fake.failNext({ errcode: -1, errmsg: 'system error' });
    const busy = await failure(api.sendText(OPENID, 'x'));
    expect(busy.platformCode).toBe(-1);
    expect(busy.status).toBeUndefined();

    fake.failNext({ http: 500 });
    expect((await failure(api.sendText(OPENID, 'x'))).status).toBe(500);

    for (const code of [45015, 45047]) {
      fake.failNext({ errcode: code });
      const e = await failure(api.sendText(OPENID, 'x'));
      expect(e.status).toBe(403);
      expect(e.platformCode).toBe(code);
    }
  });

  it('waits out the daily quota (45009) without spending attempts', async () => {
    fake.failNext({ errcode: 45009, errmsg: 'reach max api daily quota limit' });
    const e = await failure(client().sendText(OPENID, 'x'));
    expect(e.retryAfterMs).toBeGreaterThan(0);
  });

  it('reports a wrong AppSecret from cgi-bin/token with its errcode', async () => {
    const api = new WechatApi({ apiBase: fake.url, appId: fake.appId, appSecret: 'wrong-secret-wrong-secret-000000' });
    expect((await failure(api.sendText(OPENID, 'x'))).platformCode).toBe(40125);
  });

  it('reports an unreachable API as retryable', async () => {
    const api = new WechatApi({ apiBase: 'http://127.0.0.1:1', appId: fake.appId, appSecret: fake.appSecret, timeoutMs: 2000 });
    expect((await failure(api.sendText(OPENID, 'x'))).status).toBeUndefined();
  });
});

describe('WeChat reply text', () => {
  it('degrades quick replies to numbered lines', () => {
    const text = replyText({ text: '您对办理结果满意吗？', quickReplies: [{ label: '满意', payload: 'rate:1' }, { label: '不满意', payload: 'rate:3' }] });
    expect(text).toBe('您对办理结果满意吗？\n1. 满意\n2. 不满意\n（请回复数字）');
  });

  it('splits long texts under 2000 bytes on line breaks and clips passive replies', () => {
    const long = Array.from({ length: 40 }, (_, i) => `第${i}行：${'井盖'.repeat(20)}`).join('\n');
    const parts = splitForWechat(long);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(2000);
    expect(parts.join('\n')).toBe(long);
    expect(splitForWechat('井'.repeat(1500)).join('')).toBe('井'.repeat(1500));
    expect(Buffer.byteLength(clipForWechat('井'.repeat(1500)))).toBeLessThanOrEqual(2000);
  });
});
