// Regression tests for the 500s of issue 16: a NUL byte in list filters, in a ticket event's note or unit and
// in a signed hotline callback's note; dates out of range, inverted or impossible. Each gets a 400
// {error:'invalid_request', field, reason} naming the field and changes nothing — except free text (notes),
// which is cleaned and stored, so the hotline's retries of a callback with a NUL in its note succeed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { ticketInput } from '../helpers/ticket-input.js';
import { postJson } from '../helpers/webchat-client.js';
import { sign } from '../../src/tickets/hotline-signature.js';
import { CALLBACK_HEADERS } from '../../src/tickets/hotline-contract.js';

const SECRET = 'hotline-shared-secret-bad-input-01';
let gw: TestGateway;
let number: string;
const auth = () => ({ authorization: `Bearer ${gw.adminToken}` });

async function get(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${gw.url}${path}`, { headers: auth() });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** A callback signed as the hotline signs it; `ageSeconds` makes a retry's signature differ from the first. */
async function callback(body: Record<string, unknown>, ageSeconds = 0): Promise<{ status: number; body: any }> {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000) - ageSeconds);
  return postJson(`${gw.url}/api/hotline/callback`, raw, { [CALLBACK_HEADERS.timestamp]: ts, [CALLBACK_HEADERS.signature]: sign(SECRET, ts, raw) });
}

const eventsOf = async (n: string) => gw.gateway.services.store.events((await gw.gateway.services.store.getByNumber(n))!.id);
const eventCount = async () => (await eventsOf(number)).length;

/** A ticket already dispatched to an office, so the hotline may report progress on it. */
async function dispatchedTicket(): Promise<string> {
  const n = (await gw.gateway.services.store.createFromMessage(ticketInput())).ticket.number;
  const r = await postJson(`${gw.url}/api/tickets/${n}/events`, { status: 'dispatched', unit: '卢沟桥街道办事处' }, auth());
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return n;
}

beforeAll(async () => {
  gw = await startTestGateway({ HOTLINE_SECRET: SECRET, SPIKE_CHECK_MS: '0' });
  number = (await gw.gateway.services.store.createFromMessage(ticketInput())).ticket.number;
});
afterAll(async () => {
  await gw?.stop();
});

/** Every probe the issue lists as a 500, with the field the 400 must name. */
const QUERY_PROBES: [path: string, field: string][] = [
  ['/api/tickets?district=%00', 'district'],
  ['/api/admin/tickets?unit=%00', 'unit'],
  ['/api/admin/tickets?q=%00', 'q'],
  ['/api/admin/tickets.csv?q=%00', 'q'],
  ['/api/tickets?from=275760-09-13', 'from'],
  ['/api/admin/tickets?from=275760-09-13', 'from'],
  ['/api/admin/heatmap?from=2026-03-10&to=2026-03-01', 'to'],
  ['/api/admin/heatmap.csv?from=2026-03-10&to=2026-03-01', 'to'],
  ['/api/admin/rates?from=0001-01-01&to=9999-12-31', 'from'],
  ['/api/admin/rates.csv?from=0001-01-01&to=9999-12-31', 'from'],
  ['/api/admin/reports/weekly.json?date=9999-12-31', 'date'],
  ['/api/admin/reports/daily.csv?date=9999-12-31', 'date'],
  ['/api/tickets?from=2026-02-30', 'from'],
  ['/api/admin/tickets?to=2026-02-30', 'to'],
  ['/api/admin/rates?from=2026-02-30', 'from'],
  ['/api/admin/reports/daily.json?date=2026-02-30', 'date'],
];

describe('bad query strings', () => {
  it.each(QUERY_PROBES)('%s is a 400 naming %s', async (path, field) => {
    const r = await get(path);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body).toMatchObject({ error: 'invalid_request', field });
    expect(typeof r.body.reason).toBe('string');
  });

  it('still answers good dates', async () => {
    expect((await get('/api/tickets?from=2026-02-28&to=2026-03-01')).status).toBe(200);
    expect((await get('/api/admin/heatmap?from=2026-03-01&to=2026-03-10')).status).toBe(200);
    expect((await get('/api/admin/reports/weekly.json?date=2026-03-04')).status).toBe(200);
  });
});

describe('bad bodies', () => {
  it('a ticket event with a NUL in its unit is a 400 and records nothing', async () => {
    const before = await eventCount();
    for (const path of [`/api/tickets/${number}/events`, `/api/admin/tickets/${number}/events`]) {
      const r = await postJson(`${gw.url}${path}`, { status: 'dispatched', unit: '卢沟桥街道\u0000办事处' }, auth());
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body).toMatchObject({ error: 'invalid_request', field: 'unit' });
    }
    expect(await eventCount()).toBe(before);
  });

  it("a ticket change the lifecycle refuses for a missing field is a 400 naming it, and records nothing", async () => {
    const events = await eventCount();
    const r = await postJson(`${gw.url}/api/tickets/${number}/events`, { status: 'dispatched' }, auth());
    expect([r.status, r.body.error, r.body.field], JSON.stringify(r.body)).toEqual([400, 'invalid_request', 'unit']);
    expect(r.body.reason).toMatch(/^unit: /);
    expect(await eventCount()).toBe(events);
  });

  it('a body that is not JSON is a 400 naming the body, and records nothing', async () => {
    const events = await eventCount();
    const r = await postJson(`${gw.url}/api/tickets/${number}/events`, '{"status": ', auth());
    expect([r.status, r.body]).toEqual([400, { error: 'invalid_request', field: 'body', reason: 'body: is not valid JSON' }]);
    expect(await eventCount()).toBe(events);
  });

  it('a ticket event with a NUL in its note is stored with the note cleaned', async () => {
    const r = await postJson(`${gw.url}/api/tickets/${number}/events`, { status: 'dispatched', unit: '卢沟桥街道办事处', note: '已派\u0000单\uD800' }, auth());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const ticket = await gw.gateway.services.store.getByNumber(number);
    const events = await gw.gateway.services.store.events(ticket!.id);
    expect(events.at(-1)!.note).toBe('已派单\uFFFD');
  });

  it("a signed hotline callback with a NUL in its note succeeds (so the hotline's retries are not stuck)", async () => {
    const n = await dispatchedTicket();
    // The first call is dated 20 s back and the retry 10 s back: however slow the machine, their timestamps (and so
    // signatures) differ, as a real retry's do; an identical copy would rightly be refused as a replay.
    const r = await callback({ eventId: 'hl-nul-1', number: n, status: 'in_progress', note: '正在\u0000处理' }, 20);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const events = await eventsOf(n);
    expect(events.at(-1)!.note).toBe('正在处理');
    // The hotline's retry (fresh signature, same eventId) is applied once.
    const again = await callback({ eventId: 'hl-nul-1', number: n, status: 'in_progress', note: '正在\u0000处理' }, 10);
    expect(again.status).toBe(200);
    expect((await eventsOf(n)).length).toBe(events.length);
  });

  it('a signed hotline callback with a NUL in its unit is a 400 naming the field', async () => {
    const n = await dispatchedTicket();
    const before = (await eventsOf(n)).length;
    const r = await callback({ eventId: 'hl-nul-2', number: n, status: 'returned', unit: 'x\u0000y' });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body).toMatchObject({ error: 'invalid_request', field: 'unit' });
    expect((await eventsOf(n)).length).toBe(before);
  });
});
