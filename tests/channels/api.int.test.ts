// The partner API channel end to end: a real gateway, partners posting signed messages, and replies delivered
// to a local fake partner's callback URL (signed, with an idempotency key, retried while it is down).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { postJson, waitUntil } from '../helpers/webchat-client.js';
import { FakePartner, PartnerClient } from '../fakes/partner-callback.js';
import { signedHeaders } from '../../channels/api/hmac-signature.js';

const TICKET_NUMBER = /^\d{8}-\d{6}$/;
let gw: TestGateway;
let partner: FakePartner;
let client: PartnerClient;

beforeAll(async () => {
  partner = await new FakePartner().start();
  gw = await startTestGateway({ API_PARTNERS: JSON.stringify([partner.config()]) });
  client = new PartnerClient(gw.url, partner.id, partner.secret);
});
afterAll(async () => {
  await gw?.stop();
  await partner?.stop();
});

const conversation = () => `conv-${randomUUID().slice(0, 8)}`;
const message = (conversationId: string, text: string, messageId = randomUUID()) => ({
  messageId,
  conversationId,
  sender: { id: `user-${conversationId}`, name: '王女士' },
  text,
});
const callbacksFor = (conversationId: string) => [...partner.accepted.values()].filter((c) => c.body.conversationId === conversationId);
const ticketsOf = async (conversationId: string) => (await gw.gateway.services.store.list({ senderId: `city-app/user-${conversationId}` })).items;

/** Description (answered with the confirmation question), then 确认 (queued). */
async function complain(conv: string, text: string, confirmId = randomUUID()): Promise<void> {
  const ask = await client.post(message(conv, text));
  expect(ask.status).toBe(200);
  expect(ask.body).toMatchObject({ status: 'answered', duplicate: false });
  expect(ask.body.replies[0].quickReplies.map((q: any) => q.label)).toEqual(['确认', '修改']);
  const confirm = await client.post(message(conv, '确认', confirmId));
  expect(confirm.status).toBe(200);
  expect(confirm.body.status).toBe('queued');
}

describe('partner API', () => {
  it('answers an FAQ in the response', async () => {
    const r = await client.post(message(conversation(), '社保卡丢了怎么补办'));
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('answered');
    expect(r.body.replies[0]).toMatchObject({ kind: 'answer' });
    expect(r.body.replies[0].text).toMatch(/社保卡/);
  });

  it('turns a signed complaint into one ticket and delivers its number to the callback, signed', async () => {
    const conv = conversation();
    await complain(conv, '朝阳区望京街道阜通东大街的路灯坏了一整条街都是黑的');
    await waitUntil(() => callbacksFor(conv).length > 0, 20_000, 'callback');
    const [cb] = callbacksFor(conv);
    expect(cb.signatureValid).toBe(true);
    expect(cb.partner).toBe('city-app');
    expect(cb.idempotencyKey).toBe(cb.body.id);
    expect(cb.body).toMatchObject({ type: 'reply', conversationId: conv, senderId: `user-${conv}`, reply: { kind: 'ticket' } });
    expect(cb.body.reply.ticketNumber).toMatch(TICKET_NUMBER);
    const tickets = await ticketsOf(conv);
    expect(tickets.map((t) => [t.number, t.channel, t.conversationId])).toEqual([[cb.body.reply.ticketNumber, 'api', `city-app/${conv}`]]);
  });

  it('makes one ticket when the same messageId is posted three times', async () => {
    const conv = conversation();
    const confirmId = randomUUID();
    await complain(conv, '海淀区中关村街道小区楼下饭馆油烟太大了熏得开不了窗', confirmId);
    const again = await Promise.all([1, 2].map(() => client.post(message(conv, '确认', confirmId))));
    for (const r of again) expect(r.body).toMatchObject({ status: 'queued', duplicate: true });
    await waitUntil(() => callbacksFor(conv).length > 0, 20_000, 'callback');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ticketsOf(conv)).toHaveLength(1);
    expect(callbacksFor(conv)).toHaveLength(1);
  });

  it('refuses forged, replayed and unsigned requests with 401 and stores nothing', async () => {
    const conv = conversation();
    const before = await gw.gateway.services.store.count();
    const body = message(conv, '丰台区卢沟桥街道有人半夜在工地施工太吵了');
    const url = `${gw.url}/api/channels/api/messages`;
    const raw = JSON.stringify(body);
    const cases: [string, Promise<{ status: number; body: any }>, RegExp][] = [
      ['wrong secret', client.post(body, { secret: 'not-the-secret-not-the-secret-0000' }), /bad signature/],
      ['replayed after 10 minutes', client.post(body, { now: new Date(Date.now() - 10 * 60_000) }), /window/],
      ['unknown partner', new PartnerClient(gw.url, 'other-app', partner.secret).post(body), /unknown partner or bad signature/],
      ['no headers', postJson(url, body), /X-Jiesu-Partner is missing/],
      ['no signature', client.post(body, { headers: { 'X-Jiesu-Signature': '' } }), /Signature is missing/],
      ['body changed after signing', postJson(url, raw.replace('半夜', '白天'), signedHeaders(partner.id, partner.secret, raw)), /bad signature/],
    ];
    for (const [name, pending, reason] of cases) {
      const r = await pending;
      expect(r.status, name).toBe(401);
      expect(r.body.reason, name).toMatch(reason);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(await gw.gateway.services.store.count()).toBe(before);
    expect(callbacksFor(conv)).toEqual([]);
  });

  it('refuses bad bodies with 4xx and a reason (400 invalid_request naming the field), and stores nothing', async () => {
    const conv = conversation();
    const ok = message(conv, '路灯坏了');
    const before = await gw.gateway.services.store.count();
    const cases: [unknown, number, RegExp, string?][] = [
      [{ ...ok, text: '井'.repeat(2001) }, 400, /2000/, 'text'],
      [{ ...ok, text: ' ' }, 400, /empty/, 'text'],
      [{ ...ok, messageId: 'a/b' }, 400, /messageId/, 'messageId'],
      [{ ...ok, urgent: true }, 400, /urgent|unrecognized/i, 'urgent'],
      ['{"messageId": "x', 400, /JSON/, 'body'],
      [JSON.stringify({ ...ok, text: 'x'.repeat(70_000) }), 413, /larger/],
    ];
    for (const [body, status, reason, field] of cases) {
      const r = await client.post(body);
      const name = JSON.stringify(body).slice(0, 60);
      expect(r.status, name).toBe(status);
      expect(r.body.reason).toMatch(reason);
      if (status === 400) expect([r.body.error, r.body.field], name).toEqual(['invalid_request', field]);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(await gw.gateway.services.store.count()).toBe(before);
    expect(callbacksFor(conv)).toEqual([]);
  });

  it('answers random and hostile signed bodies with 200 or 4xx, never 5xx', async () => {
    const body = fc.oneof(
      fc.record({ messageId: fc.oneof(fc.uuid(), fc.string()), conversationId: fc.oneof(fc.constant('conv-fuzz'), fc.string()), sender: fc.anything(), text: fc.oneof(fc.string({ maxLength: 100 }), fc.anything()) }, { requiredKeys: [] }),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(body.map((b) => JSON.stringify(b) ?? 'null'), fc.string({ maxLength: 200 })), async (raw) => {
        const r = await client.post(raw);
        expect([200, 400]).toContain(r.status);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps retrying while the callback endpoint is down and delivers once when it is back', async () => {
    const conv = conversation();
    partner.down('503');
    try {
      await complain(conv, '东城区东华门街道有人在绿地里乱倒建筑垃圾');
      await waitUntil(() => partner.requests.filter((r) => r.body?.conversationId === conv).length >= 2, 20_000, 'two refused deliveries');
      partner.down('drop');
      await waitUntil(() => partner.requests.filter((r) => r.body?.conversationId === conv).length >= 3, 20_000, 'a dropped delivery');
    } finally {
      partner.up();
    }
    await waitUntil(() => callbacksFor(conv).length > 0, 30_000, 'delivery after the partner came back');
    await new Promise((r) => setTimeout(r, 1500));
    expect(callbacksFor(conv)).toHaveLength(1);
    // Every attempt carried the same idempotency key.
    const keys = new Set(partner.requests.filter((r) => r.body?.conversationId === conv).map((r) => r.idempotencyKey));
    expect(keys.size).toBe(1);
    expect(callbacksFor(conv)[0].body.reply.ticketNumber).toMatch(TICKET_NUMBER);
  });

  it('answers a flooding sender 429 with Retry-After, like every other channel, and does not take the message', async () => {
    const conv = conversation();
    const limit = gw.gateway.services.config.senderLimitPerMinute;
    for (let i = 0; i < limit; i++) expect((await client.post(message(conv, '社保卡丢了怎么补办'))).status).toBe(200);
    const over = await client.post(message(conv, '社保卡丢了怎么补办'));
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(over.body).toMatchObject({ error: 'rate_limited' });
    expect(over.body.replies[0].text).toBeTruthy();
    // Another sender of the same partner is not slowed down.
    expect((await client.post(message(conversation(), '社保卡丢了怎么补办'))).status).toBe(200);
  });
});
