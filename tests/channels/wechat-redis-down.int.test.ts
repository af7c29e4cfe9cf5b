// Redis not answering while WeChat pushes: a complaint is not acknowledged (503, so WeChat retries the same
// MsgId), FAQ answers still come back passively within WeChat's 5 seconds; when Redis is back the retried
// MsgId becomes exactly one ticket, and its number reaches the follower. In safe mode, where the signature covers
// the message: in plain mode no push is taken while Redis is down (its replay check needs Redis; see
// push-replay.int.test.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { PrivateRedis } from '../helpers/processes.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeWechatApi, WechatPusher, newMsgId } from '../fakes/wechat-api.js';

const TOKEN = 'jiesuRedisDown1';
const AES_KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
let redis: PrivateRedis;
let fake: FakeWechatApi;
let gw: TestGateway;
let wechat: WechatPusher;

beforeAll(async () => {
  redis = await PrivateRedis.start();
  fake = await new FakeWechatApi().start();
  gw = await startTestGateway({
    REDIS_URL: redis.url,
    CONFIRM_COMPLAINTS: '0',
    WECHAT_TOKEN: TOKEN,
    WECHAT_APP_ID: fake.appId,
    WECHAT_APP_SECRET: fake.appSecret,
    WECHAT_API_BASE: fake.url,
    WECHAT_ENCODING_AES_KEY: AES_KEY,
  });
  wechat = new WechatPusher({ url: `${gw.url}/api/channels/wechat`, token: TOKEN, appId: fake.appId, encodingAesKey: AES_KEY });
});
afterAll(async () => {
  await redis.start().catch(() => {});
  await gw?.stop();
  await redis.kill();
  await fake?.stop();
});

it('refuses to acknowledge complaints while Redis is down, keeps answering FAQs, and recovers', async () => {
  const openId = 'oRedisDownFollower0123456789';
  const complaint = wechat.textXml(openId, '丰台区卢沟桥街道我家小区门口的井盖丢了好几天了', newMsgId());
  await redis.kill();

  const refused = await wechat.push(complaint);
  expect(refused.status).toBe(503);

  const started = Date.now();
  const faq = await wechat.push(wechat.textXml(openId, '社保卡丢了怎么补办'));
  expect(faq.status).toBe(200);
  expect(faq.reply?.Content).toMatch(/社保卡/);
  expect(Date.now() - started).toBeLessThan(4500);

  await redis.start();
  // WeChat's retry of the same MsgId.
  await waitUntil(async () => (await wechat.push(complaint)).body === 'success', 20_000, 'complaint accepted');
  await wechat.push(complaint);
  await waitUntil(() => fake.delivered.some((d) => d.touser === openId && /\d{8}-\d{6}/.test(d.content)), 30_000, 'ticket number delivered');
  await new Promise((r) => setTimeout(r, 1000));
  expect((await gw.gateway.services.store.list({ senderId: openId })).total).toBe(1);
  expect(fake.delivered.filter((d) => d.touser === openId)).toHaveLength(1);
});
