// WeChat safe mode (安全模式) end to end: pushes encrypted and signed with msg_signature like WeChat's,
// passive replies encrypted back, and everything that is not a proper encrypted push refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeWechatApi, WechatPusher, newMsgId } from '../fakes/wechat-api.js';
import { WechatMessageCrypto } from '../../channels/wechat/message-crypto.js';
import { wechatSignature } from '../../channels/wechat/signature.js';
import { buildWechatXml } from '../../channels/wechat/wechat-xml.js';

const TOKEN = 'jiesuSafeMode01';
const AES_KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
let fake: FakeWechatApi;
let gw: TestGateway;
let wechat: WechatPusher;
let plain: WechatPusher;
const follower = () => `oSafe${Math.random().toString(36).slice(2, 14)}Ab`;
const deliveredTo = (openId: string) => fake.delivered.filter((d) => d.touser === openId);

beforeAll(async () => {
  fake = await new FakeWechatApi().start();
  gw = await startTestGateway({
    WECHAT_TOKEN: TOKEN,
    WECHAT_APP_ID: fake.appId,
    WECHAT_APP_SECRET: fake.appSecret,
    WECHAT_ENCODING_AES_KEY: AES_KEY,
    WECHAT_API_BASE: fake.url,
  });
  const url = `${gw.url}/api/channels/wechat`;
  wechat = new WechatPusher({ url, token: TOKEN, appId: fake.appId, encodingAesKey: AES_KEY });
  plain = new WechatPusher({ url, token: TOKEN, appId: fake.appId });
});
afterAll(async () => {
  await gw?.stop();
  await fake?.stop();
});

describe('WeChat safe mode', () => {
  it('decrypts an encrypted fixture push and encrypts the passive FAQ answer', async () => {
    const openId = follower();
    const xml = readFileSync(join(import.meta.dirname, '../../channels/wechat/fixtures/voice-recognition.xml'), 'utf8')
      .replace(/oR5GJt7XyZk2Lm9Qp3Vw1AbCdEfG/g, openId)
      .replace(/<MsgId>\d+</, `<MsgId>${newMsgId()}<`);
    const r = await wechat.push(xml);
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^<xml><Encrypt>/);
    expect(r.body).not.toMatch(/社保/);
    // readReply checked MsgSignature and decrypted, as the WeChat server would.
    expect(r.reply).toMatchObject({ ToUserName: openId, MsgType: 'text' });
    expect(r.reply!.Content).toMatch(/社保卡/);
  });

  it('takes an encrypted complaint through to a ticket number sent by the customer-service API', async () => {
    const openId = follower();
    const ask = await wechat.push(wechat.textXml(openId, '丰台区卢沟桥街道假日风景小区的垃圾三天没人清运了'));
    expect(ask.reply?.Content).toMatch(/请确认/);
    expect((await wechat.push(wechat.textXml(openId, '确认'))).body).toBe('success');
    await waitUntil(() => deliveredTo(openId).length > 0, 20_000, 'ticket confirmation');
    expect(deliveredTo(openId)[0].content).toMatch(/\d{8}-\d{6}/);
  });

  it('refuses plaintext, forged, stale and foreign pushes with 401 and stores nothing', async () => {
    const openId = follower();
    const complaint = () => wechat.textXml(openId, '朝阳区望京街道有人在小区里烧垃圾');
    const before = await gw.gateway.services.store.count();
    // A plaintext push with a valid plain signature: in safe mode only msg_signature covers the message.
    expect((await plain.push(complaint())).status).toBe(401);
    expect((await wechat.push(complaint(), { forge: true })).status).toBe(401);
    expect((await wechat.push(complaint(), { now: new Date(Date.now() - 10 * 60_000) })).status).toBe(401);
    // Encrypted with our key but for another AppID, correctly signed.
    const foreign = new WechatMessageCrypto(AES_KEY, 'wx0000000000000000').encrypt(complaint());
    const q = plain.signedQuery({ encrypt_type: 'aes' });
    q.set('msg_signature', wechatSignature([TOKEN, q.get('timestamp')!, q.get('nonce')!, foreign]));
    const res = await fetch(`${gw.url}/api/channels/wechat?${q}`, { method: 'POST', body: buildWechatXml({ ToUserName: 'gh_1', Encrypt: foreign }) });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(await gw.gateway.services.store.count()).toBe(before);
    expect(deliveredTo(openId)).toEqual([]);
  });
});
