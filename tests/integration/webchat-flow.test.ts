// The foundation's vertical slice through the web chat API: FAQ answers, complaints to tickets, idempotency,
// and bad input.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { WebchatCitizen, waitUntil } from '../helpers/webchat-client.js';

const METRICS_TOKEN = 'webchat-flow-metrics-0123456789';
let gw: TestGateway;
const countTickets = () => gw.gateway.services.store.count();
const countTicketsOf = async (sessionId: string) => (await gw.gateway.services.store.list({ senderId: sessionId })).total;

beforeAll(async () => {
  gw = await startTestGateway({ METRICS_TOKEN });
});
afterAll(async () => {
  await gw?.stop();
});

describe('web chat', () => {
  it('answers an FAQ question at once and makes no ticket', async () => {
    const c = new WebchatCitizen(gw.url);
    const before = await countTickets();
    const r = await c.say('社保卡丢了怎么补办');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('answered');
    expect(r.body.replies[0].kind).toBe('answer');
    expect(r.body.replies[0].text).toMatch(/社保卡/);
    expect(await countTickets()).toBe(before);
  });

  it('asks for the place, confirms, then makes exactly one ticket and pushes its number over the WebSocket', async () => {
    const c = new WebchatCitizen(gw.url);
    await c.connect();
    const r = await c.say('我家小区门口的井盖丢了好几天了');
    expect(r.status).toBe(200);
    expect(r.body.replies[0].text).toContain('已受理');
    expect(r.body.replies[0].text).toMatch(/哪个区/);
    const place = await c.say('丰台区卢沟桥街道假日风景小区');
    expect(place.body.replies[0].text).toMatch(/请确认.*卢沟桥街道/);
    expect(place.body.replies[0].quickReplies.map((q: any) => q.payload)).toEqual(['confirm:yes', 'confirm:edit']);
    expect(await countTicketsOf(c.sessionId)).toBe(0);
    const confirmed = await c.say('确认', undefined, { action: 'confirm:yes' });
    expect(confirmed.body.status).toBe('queued');
    const pushed = await c.waitFor((m) => m.kind === 'ticket');
    expect(pushed.ticketNumber).toMatch(/^\d{8}-\d{6}$/);
    expect(pushed.text).toContain(pushed.ticketNumber);
    const rows = await gw.gateway.services.store.list({ senderId: c.sessionId });
    expect(rows.total).toBe(1);
    expect(rows.items[0]).toMatchObject({ number: pushed.ticketNumber, district: '丰台区', street: '卢沟桥街道', category: 'municipal' });
    // The ticket's text keeps everything the citizen said about it.
    expect(rows.items[0].text).toContain('井盖');
    expect(rows.items[0].text).toContain('假日风景');
    // The history keeps the whole conversation in order, for a reloaded page.
    const history = await c.history();
    expect(history.map((m) => m.from)).toEqual(['citizen', 'bot', 'citizen', 'bot', 'citizen', 'bot', 'bot']);
    expect(history.at(-1).ticketNumber).toBe(pushed.ticketNumber);
    // The admin API returns it.
    const res = await fetch(`${gw.url}/api/tickets/${pushed.ticketNumber}`, { headers: { authorization: `Bearer ${gw.adminToken}` } });
    expect(res.status).toBe(200);
    const ticket = (await res.json()) as any;
    expect(ticket).toMatchObject({ number: pushed.ticketNumber, channel: 'webchat' });
    expect(ticket.events[0].kind).toBe('created');
    c.close();
  });

  it('makes one ticket when the same messageId is posted twice and concurrently', async () => {
    const c = new WebchatCitizen(gw.url);
    await c.connect();
    const first = await c.say('朝阳区望京街道有个饭馆油烟太大了，熏得开不了窗，投诉', 'dup-message-0000');
    expect(first.body.replies[0].text).toMatch(/请确认/);
    const id = 'dup-message-0001';
    const results = await Promise.all(Array.from({ length: 6 }, () => c.say('确认', id)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const again = await c.say('确认', id);
    expect(again.status).toBe(200);
    expect(again.body.replies).toEqual(results[0].body.replies);
    await c.waitFor((m) => m.kind === 'ticket');
    await new Promise((r) => setTimeout(r, 500));
    const rows = await gw.gateway.services.store.list({ senderId: c.sessionId });
    expect(rows.total).toBe(1);
    expect(c.pushed.filter((m) => m.kind === 'ticket').map((m) => m.id).filter((v, i, a) => a.indexOf(v) === i)).toHaveLength(1);
    const history = await c.history();
    expect(history.filter((m) => m.from === 'citizen')).toHaveLength(2);
    c.close();
  });

  // The same message reaches postMessage through two doors: the server's raw POST door (plain JSON, the
  // common case) and express (a query string, a gzip body, another content type). Both must answer alike.
  const doors: [string, string, (body: string) => { headers: Record<string, string>; body: string | Uint8Array<ArrayBuffer> }][] = [
    ['raw door', '', (body) => ({ headers: {}, body })],
    ['express (query string)', '?via=express', (body) => ({ headers: {}, body })],
    ['express (gzip body)', '', (body) => ({ headers: { 'content-encoding': 'gzip' }, body: new Uint8Array(gzipSync(body)) })],
  ];

  it.each(doors)('rejects bad input with a reason and stores nothing, through the %s', async (_name, query, encode) => {
    const before = await countTickets();
    const url = `${gw.url}/api/webchat/messages${query}`;
    const ok = { sessionId: 'session-abc-123', messageId: 'msg-abc-123' };
    const cases: [unknown, number, RegExp][] = [
      [{ ...ok, text: '井'.repeat(2001) }, 400, /2000/],
      [{ ...ok, text: '   \u200b ' }, 400, /empty/],
      [{ ...ok, text: 42 }, 400, /text/],
      [{ ...ok }, 400, /text/],
      [{ ...ok, sessionId: '../../etc', text: 'hi' }, 400, /sessionId/],
      [{ ...ok, text: 'x', extra: 1 }, 400, /extra|unrecognized/i],
      ['{"sessionId": "abc', 400, /JSON/],
      ['"just a string"', 400, /JSON/],
      ['', 400, /sessionId/],
      [JSON.stringify({ ...ok, text: 'x'.repeat(40_000) }), 413, /larger/],
    ];
    for (const [body, status, reason] of cases) {
      const req = encode(typeof body === 'string' ? body : JSON.stringify(body));
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...req.headers }, body: req.body });
      const answer = (await res.json()) as { reason?: string };
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(answer.reason).toMatch(reason);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const c = new WebchatCitizen(gw.url);
    expect(await c.history()).toEqual([]);
    expect(await countTickets()).toBe(before);
  });

  it.each(doors)('answers an FAQ question the same through the %s', async (_name, query, encode) => {
    const sessionId = `door-${Math.random().toString(36).slice(2, 12)}`;
    const req = encode(JSON.stringify({ sessionId, messageId: 'msg-door-0001', text: '社保卡丢了怎么补办' }));
    const res = await fetch(`${gw.url}/api/webchat/messages${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...req.headers },
      body: req.body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await res.json()) as any;
    expect(body.status).toBe('answered');
    expect(body.replies[0].text).toMatch(/社保卡/);
    expect(body.messages.map((m: any) => m.from)).toEqual(['citizen', 'bot']);
  });

  it('keeps the admin API behind the token', async () => {
    expect((await fetch(`${gw.url}/api/tickets`)).status).toBe(401);
    expect((await fetch(`${gw.url}/api/tickets`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(403);
    expect((await fetch(`${gw.url}/api/tickets?limit=5`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).status).toBe(200);
    expect((await fetch(`${gw.url}/api/tickets?limit=x`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).status).toBe(400);
  });

  it('reports health, readiness and metrics', async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gw.url}/readyz`);
    expect(await ready.json()).toEqual({ ok: true, redis: 'ok', db: 'ok' });
    const scrape = async () => (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    await waitUntil(async () => (await scrape()).includes('jiesu_tickets_created_total{channel="webchat"}'));
    const metrics = await scrape();
    expect(metrics).toMatch(/jiesu_intake_messages_total\{channel="webchat",outcome="answered"/);
    // Every message so far took its time through the intake: the histogram counted them.
    expect(Number(/jiesu_intake_seconds_count\{channel="webchat",status="answered"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/jiesu_queue_jobs\{queue="tickets"/);
  });

  it('serves the demo page and widget with a Content-Security-Policy', async () => {
    const page = await fetch(`${gw.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toMatch(/widget\/widget\.js/);
    expect((await fetch(`${gw.url}/widget/widget.js`)).status).toBe(200);
  });
});
