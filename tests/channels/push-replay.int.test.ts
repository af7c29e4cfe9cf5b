// Regression (issue 16 §4): WeChat's plain mode and Weibo's fan-service push sign only the query string, and one
// captured signed URL replayed inside the window with another body and sender was accepted and answered. Now
// the same signed query with another body is refused 401 and reaches nothing; with the same body it is the
// platform's retry and gets the same answer, one ticket; Weibo's window is 5 minutes; and with Redis down the
// replay check cannot run, so nothing is taken (503, the platform pushes again).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { recordIntake, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { PrivateRedis } from '../helpers/processes.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeWechatApi, WechatPusher, newMsgId } from '../fakes/wechat-api.js';
import { FakeWeiboApi } from '../fakes/weibo-api.js';
import { pushSignature } from '../../channels/weibo/push-signature.js';
import type { InboundMessage } from '../../src/core/envelope.js';

const TOKEN = 'jiesuReplay0001';
const WEIBO_SECRET = 'weibo-replay-secret-0001';
const COMPLAINT = '丰台区卢沟桥街道我家小区门口的井盖丢了好几天了';
let redis: PrivateRedis;
let wechatApi: FakeWechatApi;
let weiboApi: FakeWeiboApi;
let gw: TestGateway;
let wechat: WechatPusher;
const seen: InboundMessage[] = [];
const reached = (senderId: string) => seen.filter((m) => m.sender.id === senderId);
const ticketsOf = async (senderId: string) => (await gw.gateway.services.store.list({ senderId })).total;

beforeAll(async () => {
  redis = await PrivateRedis.start();
  wechatApi = await new FakeWechatApi().start();
  weiboApi = await new FakeWeiboApi().start();
  gw = await startTestGateway({
    REDIS_URL: redis.url,
    CONFIRM_COMPLAINTS: '0',
    WECHAT_TOKEN: TOKEN,
    WECHAT_APP_ID: wechatApi.appId,
    WECHAT_APP_SECRET: wechatApi.appSecret,
    WECHAT_API_BASE: wechatApi.url,
    ...weiboApi.gatewayEnv({ WEIBO_APP_SECRET: WEIBO_SECRET, WEIBO_POLL_MS: '60000' }),
  });
  recordIntake(gw, seen);
  wechat = new WechatPusher({ url: `${gw.url}/api/channels/wechat`, token: TOKEN, appId: wechatApi.appId });
});
afterAll(async () => {
  await redis.start().catch(() => {});
  await gw?.stop();
  await redis?.kill();
  await wechatApi?.stop();
  await weiboApi?.stop();
});

/** One signed WeChat push URL, to be sent more than once. */
function wechatUrl(): string {
  return `${gw.url}/api/channels/wechat?${wechat.signedQuery({ openid: 'oR5GJt7XyZk2Lm9Qp3Vw1AbCdEfG' })}`;
}
const post = async (url: string, body: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  return { status: res.status, body: await res.text() };
};

/** One signed Weibo push URL; `ageMs` makes its timestamp that old. */
function weiboUrl(ageMs = 0): string {
  const timestamp = String(Math.floor((Date.now() - ageMs) / 1000));
  const nonce = String(randomInt(1e8, 1e9));
  const q = new URLSearchParams({ signature: pushSignature(WEIBO_SECRET, timestamp, nonce), timestamp, nonce });
  return `${gw.url}/api/channels/weibo/push?${q}`;
}
const weiboPush = (sender: string, text: string) =>
  JSON.stringify({ type: 'text', receiver_id: Number(weiboApi.account.idstr), sender_id: Number(sender), created_at: 'Fri Dec 04 09:20:18 +0800 2026', text, data: {} });

describe('Redis down', () => {
  it('takes nothing whose replay it cannot rule out: 503, and the platform pushes again', async () => {
    await redis.kill();
    const before = seen.length;
    const wechatPush = await post(wechatUrl(), wechat.textXml('oReplayRedisDown000000001', '社保卡丢了怎么补办'));
    expect(wechatPush.status).toBe(503);
    const weibo = await fetch(weiboUrl(), { method: 'POST', body: weiboPush('7700000104', '社保卡丢了怎么补办') });
    expect(weibo.status).toBe(503);
    expect(weibo.headers.get('retry-after')).toBeTruthy();
    expect(seen.length).toBe(before);
    await redis.start();
    await waitUntil(async () => (await post(wechatUrl(), wechat.textXml('oReplayRedisDown000000001', '社保卡丢了怎么补办'))).status === 200, 20_000, 'pushes taken again');
  });
});

describe('WeChat plain mode', () => {
  it('refuses a signed URL replayed with another body and sender, and answers the genuine retry as before', async () => {
    const victim = 'oReplayVictim0000000000001';
    const attacker = 'oReplayAttacker00000000001';
    const url = wechatUrl();
    const faq = wechat.textXml(victim, '社保卡丢了怎么补办');
    const first = await post(url, faq);
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/社保卡/);

    const replay = await post(url, wechat.textXml(attacker, COMPLAINT, newMsgId()));
    expect(replay.status).toBe(401);
    const retry = await post(url, faq);
    expect(retry.status).toBe(200);
    expect(wechat.readReply(retry.body).Content).toBe(wechat.readReply(first.body).Content);

    // A complaint pushed, then retried on the same signed URL: one ticket, one ticket number sent.
    const complaintUrl = wechatUrl();
    const complaint = wechat.textXml(victim, COMPLAINT, newMsgId());
    expect(await post(complaintUrl, complaint)).toEqual({ status: 200, body: 'success' });
    expect(await post(complaintUrl, complaint)).toEqual({ status: 200, body: 'success' });
    expect((await post(complaintUrl, wechat.textXml(attacker, COMPLAINT, newMsgId()))).status).toBe(401);
    await waitUntil(() => wechatApi.delivered.some((d) => d.touser === victim), 20_000, 'ticket number delivered');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ticketsOf(victim)).toBe(1);
    expect(wechatApi.delivered.filter((d) => d.touser === victim)).toHaveLength(1);
    expect(reached(attacker)).toEqual([]);
    expect(await ticketsOf(attacker)).toBe(0);
    expect(wechatApi.delivered.filter((d) => d.touser === attacker)).toEqual([]);
  });
});

describe('Weibo fan-service push', () => {
  it('refuses a signed URL replayed with another body and sender, and answers the genuine retry as before', async () => {
    const url = weiboUrl();
    const complaint = weiboPush('7700000101', COMPLAINT);
    const first = await fetch(url, { method: 'POST', body: complaint });
    expect([first.status, await first.text()]).toEqual([200, '']);

    const replay = await fetch(url, { method: 'POST', body: weiboPush('7700000666', COMPLAINT) });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: 'replayed' });
    const retry = await fetch(url, { method: 'POST', body: complaint });
    expect([retry.status, await retry.text()]).toEqual([200, '']);

    await waitUntil(async () => (await ticketsOf('7700000101')) === 1, 20_000, 'ticket');
    await waitUntil(() => weiboApi.messages.some((m) => m.receiverId === '7700000101' && /\d{8}-\d{6}/.test(m.text)), 20_000, 'ticket number');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ticketsOf('7700000101')).toBe(1);
    expect(weiboApi.messages.filter((m) => m.receiverId === '7700000101' && /\d{8}-\d{6}/.test(m.text))).toHaveLength(1);
    expect(reached('7700000666')).toEqual([]);
    expect(await ticketsOf('7700000666')).toBe(0);
    expect(weiboApi.messages.filter((m) => m.receiverId === '7700000666')).toEqual([]);
  });

  it('accepts a signature for 5 minutes, not 6', async () => {
    const fresh = await fetch(weiboUrl(4 * 60_000), { method: 'POST', body: weiboPush('7700000102', '社保卡丢了怎么补办') });
    expect(fresh.status).toBe(200);
    const stale = await fetch(weiboUrl(6 * 60_000), { method: 'POST', body: weiboPush('7700000103', '社保卡丢了怎么补办') });
    expect(stale.status).toBe(401);
    await waitUntil(() => weiboApi.messages.some((m) => m.receiverId === '7700000102'), 10_000, 'answer to the fresh push');
    await new Promise((r) => setTimeout(r, 500));
    expect(reached('7700000103')).toEqual([]);
  });
});
