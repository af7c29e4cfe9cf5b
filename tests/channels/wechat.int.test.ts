// The WeChat official account end to end: a real gateway (real Redis, fresh PostgreSQL, workers in process)
// receiving pushes signed like WeChat's, and delivering later replies to a local fake of the WeChat API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeWechatApi, WechatPusher, newMsgId } from '../fakes/wechat-api.js';
import type { WechatAdapter } from '../../channels/wechat/wechat-adapter.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKEN = 'jiesu12345token';
const TICKET_NUMBER = /\d{8}-\d{6}/;
let fake: FakeWechatApi;
let gw: TestGateway;
let wechat: WechatPusher;
let n = 0;
/** A fresh follower per test, so deliveries and tickets are easy to tell apart. */
const follower = () => `oTest${String(++n).padStart(4, '0')}Xy${Math.random().toString(36).slice(2, 12)}`;
const ticketsOf = async (openId: string) => (await gw.gateway.services.store.list({ senderId: openId })).items;
const deliveredTo = (openId: string) => fake.delivered.filter((d) => d.touser === openId);

/**
 * A complaint as a follower makes it: the description (with its place), answered passively with the
 * numbered confirmation question, then 确认, answered `success`. Returns the confirming MsgId.
 * (A typed "1" would pick 确认 too, but the core's command parser currently takes a bare "1" for a
 * return-visit rating first; see the report.)
 */
async function complain(openId: string, text: string, confirmMsgId = newMsgId()): Promise<string> {
  const ask = await wechat.push(wechat.textXml(openId, text));
  expect(ask.status).toBe(200);
  expect(ask.reply?.Content).toMatch(/请确认[\s\S]*\n1\. 确认\n2\. 修改\n（请回复数字）$/);
  const confirm = await wechat.push(wechat.textXml(openId, '确认', confirmMsgId));
  expect(confirm).toMatchObject({ status: 200, body: 'success' });
  return confirmMsgId;
}

beforeAll(async () => {
  fake = await new FakeWechatApi().start();
  gw = await startTestGateway({ WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: fake.appId, WECHAT_APP_SECRET: fake.appSecret, WECHAT_API_BASE: fake.url });
  wechat = new WechatPusher({ url: `${gw.url}/api/channels/wechat`, token: TOKEN, appId: fake.appId });
});
afterAll(async () => {
  await gw?.stop();
  await fake?.stop();
});

describe('WeChat server URL verification', () => {
  it('echoes echostr for a good signature and refuses a forged or stale one', async () => {
    expect(await wechat.verify('8431726605723418290')).toEqual({ status: 200, body: '8431726605723418290' });
    expect((await wechat.verify('8431726605723418290', { forge: true })).status).toBe(401);
    expect((await wechat.verify('8431726605723418290', { now: new Date(Date.now() - 10 * 60_000) })).status).toBe(401);
    expect((await fetch(`${gw.url}/api/channels/wechat?echostr=1`)).status).toBe(401);
  });
});

describe('WeChat messages', () => {
  it('answers an FAQ passively in the response and opens no ticket', async () => {
    const openId = follower();
    const before = await gw.gateway.services.store.count();
    const r = await wechat.push(wechat.textXml(openId, '社保卡丢了怎么补办'));
    expect(r.status).toBe(200);
    expect(r.reply).toMatchObject({ ToUserName: openId, FromUserName: wechat.account, MsgType: 'text' });
    expect(r.reply!.Content).toMatch(/社保卡/);
    expect(await gw.gateway.services.store.count()).toBe(before);
    expect(deliveredTo(openId)).toEqual([]);
  });

  it('confirms a complaint passively, answers the confirmation `success`, then delivers the ticket number through message/custom/send', async () => {
    const openId = follower();
    await complain(openId, '朝阳区望京街道阜通东大街的路灯坏了一整条街都是黑的');
    await waitUntil(() => deliveredTo(openId).length > 0, 20_000, 'ticket confirmation at the fake WeChat API');
    const [confirmation] = deliveredTo(openId);
    const number = confirmation.content.match(TICKET_NUMBER)![0];
    const tickets = await ticketsOf(openId);
    expect(tickets.map((t) => [t.number, t.channel, t.conversationId, t.district])).toEqual([[number, 'wechat', openId, '朝阳区']]);
  });

  it('makes one ticket and gives the same passive reply when WeChat retries a MsgId three times', async () => {
    const openId = follower();
    const faqId = newMsgId();
    const faq = await Promise.all([1, 2, 3].map(() => wechat.push(wechat.textXml(openId, '公积金怎么提取', faqId))));
    expect(new Set(faq.map((r) => r.reply?.Content)).size).toBe(1);
    expect(faq[0].reply?.Content).toBeTruthy();

    // The description is retried: the same confirmation question each time.
    const describeId = newMsgId();
    const description = wechat.textXml(openId, '海淀区中关村街道小区楼下饭馆油烟太大了熏得开不了窗', describeId);
    const asked = [await wechat.push(description), await wechat.push(description), await wechat.push(description)];
    expect(new Set(asked.map((r) => r.reply?.Content)).size).toBe(1);
    expect(asked[0].reply?.Content).toMatch(/请确认/);
    // The confirmation is retried, twice of them concurrently: one ticket, one ticket number sent.
    const confirmId = newMsgId();
    const confirm = wechat.textXml(openId, '确认', confirmId);
    const first = await wechat.push(confirm);
    const retries = await Promise.all([wechat.push(confirm), wechat.push(confirm)]);
    for (const r of [first, ...retries]) expect(r.body).toBe('success');
    await waitUntil(() => deliveredTo(openId).length > 0, 20_000, 'confirmation');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ticketsOf(openId)).toHaveLength(1);
    expect(deliveredTo(openId)).toHaveLength(1);
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const openId = follower();
    const before = await gw.gateway.services.store.count();
    const r = await wechat.push(wechat.textXml(openId, '我要投诉小区门口违章停车'), { forge: true });
    expect(r.status).toBe(401);
    const stale = await wechat.push(wechat.textXml(openId, '我要投诉小区门口违章停车'), { now: new Date(Date.now() - 6 * 60_000) });
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(await gw.gateway.services.store.count()).toBe(before);
    expect(deliveredTo(openId)).toEqual([]);
  });

  it('refuses malformed and oversized XML with 4xx', async () => {
    const bad = await wechat.push('<xml><ToUserName>gh_1</ToUserName>');
    expect([bad.status, JSON.parse(bad.body).error, JSON.parse(bad.body).field]).toEqual([400, 'invalid_request', 'body']);
    const bomb = await wechat.push('<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">]><xml>&a;</xml>');
    expect(bomb.status).toBe(400);
    const huge = await wechat.push(wechat.textXml(follower(), '井'.repeat(40_000)));
    expect(huge.status).toBe(413);
  });

  it('answers random and hostile signed pushes with 200 or 4xx, never 5xx', async () => {
    const names = fc.constantFrom('ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId', 'Event', 'EventKey', 'Location_X', 'Label');
    const values = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('text', 'event', 'location', 'CLICK', 'subscribe', ']]>', '&amp;', '99999999999999999999'));
    const doc = fc.array(fc.tuple(names, values).map(([n, v]) => `<${n}><![CDATA[${v}]]></${n}>`), { maxLength: 8 }).map((els) => `<xml>${els.join('')}</xml>`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(doc, fc.string({ maxLength: 200 })), async (body) => {
        const r = await wechat.push(body);
        expect([200, 400]).toContain(r.status);
      }),
      { numRuns: 60 },
    );
  });

  it('greets a new follower and answers other message types without opening tickets', async () => {
    const openId = follower();
    const fixture = (name: string) =>
      readFileSync(join(import.meta.dirname, '../../channels/wechat/fixtures', name), 'utf8')
        .replace(/oR5GJt7XyZk2Lm9Qp3Vw1AbCdEfG/g, openId)
        .replace(/<CreateTime>\d+</, `<CreateTime>${Math.floor(Date.now() / 1000)}<`);
    const sub = await wechat.push(fixture('event-subscribe.xml'));
    expect(sub.reply?.Content).toMatch(/12345/);
    expect((await wechat.push(fixture('event-unsubscribe.xml'))).body).toBe('success');
    expect((await wechat.push(fixture('video.xml'))).reply?.Content).toBeTruthy();
    const voice = await wechat.push(fixture('voice-recognition.xml'));
    expect(voice.reply?.Content).toMatch(/社保卡/);
    expect(await ticketsOf(openId)).toEqual([]);
  });

  it('reads a location push into the complaint and a menu CLICK as a message', async () => {
    const openId = follower();
    const fixture = (name: string) =>
      readFileSync(join(import.meta.dirname, '../../channels/wechat/fixtures', name), 'utf8')
        .replace(/oR5GJt7XyZk2Lm9Qp3Vw1AbCdEfG/g, openId)
        .replace(/<MsgId>\d+</, `<MsgId>${newMsgId()}<`)
        .replace(/<CreateTime>\d+</, `<CreateTime>${Math.floor(Date.now() / 1000)}<`);
    const ask = await wechat.push(wechat.textXml(openId, '路灯坏了好几天了晚上特别黑'));
    expect(ask.reply?.Content).toMatch(/哪个区/);
    const confirm = await wechat.push(fixture('location.xml'));
    expect(confirm.reply?.Content).toMatch(/请确认[\s\S]*望京/);
    expect((await wechat.push(wechat.textXml(openId, '确认'))).body).toBe('success');
    await waitUntil(async () => (await ticketsOf(openId)).length === 1, 20_000, 'ticket');
    const [t] = await ticketsOf(openId);
    expect(t.details).toMatchObject({ placeText: expect.stringContaining('阜通东大街') });
    const click = await wechat.push(fixture('event-click.xml'));
    expect(click).toMatchObject({ status: 200 });
  });
});

describe('WeChat API failures', () => {
  it('retries system busy (-1) and HTTP 500, then delivers once', async () => {
    const openId = follower();
    const failedBefore = fake.sendCalls().filter((c) => c.status === 500 || c.errcode === -1).length;
    fake.failNext({ errcode: -1, errmsg: 'system error' }, { http: 500 });
    await complain(openId, '东城区东华门街道有人在绿地里乱倒建筑垃圾');
    await waitUntil(() => deliveredTo(openId).length > 0, 30_000, 'confirmation after two failures');
    expect(fake.sendCalls().filter((c) => c.status === 500 || c.errcode === -1).length - failedBefore).toBe(2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(deliveredTo(openId)).toHaveLength(1);
    expect(deliveredTo(openId)[0].content).toMatch(TICKET_NUMBER);
  });

  it('fetches a new access token when WeChat says the old one expired (42001) and delivers', async () => {
    const openId = follower();
    fake.expireTokens();
    const tokensBefore = fake.tokenCalls().length;
    await complain(openId, '海淀区中关村街道的人行道被共享单车堵死了');
    await waitUntil(() => deliveredTo(openId).length > 0, 20_000, 'confirmation after token refresh');
    expect(fake.tokenCalls().length).toBeGreaterThan(tokensBefore);
    expect(fake.sendCalls().some((c) => c.errcode === 42001)).toBe(true);
    expect(deliveredTo(openId)).toHaveLength(1);
  });

  it('does not retry a follower outside the 48-hour window (45015)', async () => {
    const openId = follower();
    const adapter = gw.gateway.services.channels.get('wechat') as WechatAdapter;
    fake.failNext({ errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' });
    await expect(adapter.send({ channel: 'wechat', conversationId: openId }, { id: `late-${openId}`, text: '回访' })).rejects.toMatchObject({ status: 403, platformCode: 45015 });
  });
});
