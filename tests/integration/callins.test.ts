// 吹哨报到 through a real gateway and a fake hotline: calling units in (suggestions first, any known unit, the
// staff alert, the report deadline), bad input refused with nothing changed, the 协办 list filter, reports (once
// each; by the caller's own unit, or a unit an admin names), late reports flagged by the overdue check, and the
// called_in / reported events reaching the hotline. Unit staff accounts cannot sign in to this gateway yet, so
// the unit-scoped rules are checked on a second door over the same services whose tokens stand for unit users.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { fileComplaint as fileComplaintAt, postJson, waitUntil } from '../helpers/webchat-client.js';
import { FakeHotline } from '../fakes/hotline-server.js';
import { ticketsApi } from '../../src/http/tickets-api.js';
import type { AuthThrottle } from '../../src/http/auth-throttle.js';
import type { BearerIdentity } from '../../src/http/admin-auth.js';
import { localDate } from '../../src/reports/period.js';
import { runSupervisionTick } from '../../src/queue/overdue-worker.js';

const SECRET = 'hotline-shared-secret-0123456789';
const STAFF_ROOM = 'callins-staff-room';
const DEPT = '丰台区城市管理委员会';
let gw: TestGateway;
let fake: FakeHotline;
let unitDoor: { url: string; server: Server };
const auth = () => ({ authorization: `Bearer ${gw.adminToken}` });
const getTicket = async (n: string, base = gw.url, headers = auth()) => (await fetch(`${base}/api/tickets/${n}`, { headers })).json() as Promise<any>;
const callIn = (n: string, body: unknown, headers: Record<string, string> = auth(), base = gw.url) => postJson(`${base}/api/tickets/${n}/callins`, body, headers);
const report = (n: string, body: unknown, headers: Record<string, string> = auth(), base = gw.url) => postJson(`${base}/api/tickets/${n}/callins/report`, body, headers);

// Tokens of the second door: who each one is.
const UNIT_USERS: Record<string, BearerIdentity> = {
  'street-token-0123456789': { user: 'li', role: 'unit', unit: '卢沟桥街道' },
  'dept-token-0123456789ab': { user: 'zhao', role: 'unit', unit: DEPT },
  'other-token-0123456789a': { user: 'qian', role: 'unit', unit: '北京市交通委员会' },
  'analyst-token-012345678': { user: 'sun', role: 'analyst' },
  'operator-token-01234567': { user: 'wang', role: 'operator' },
};
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const STREET = as('street-token-0123456789');
const DEPT_USER = as('dept-token-0123456789ab');
const OTHER_UNIT = as('other-token-0123456789a');
const ANALYST = as('analyst-token-012345678');
const OPERATOR = as('operator-token-01234567');

const fileComplaint = (text: string) => fileComplaintAt(gw.url, text);

beforeAll(async () => {
  fake = await new FakeHotline(SECRET, 1500).start();
  gw = await startTestGateway({
    CONFIRM_COMPLAINTS: '0',
    STAFF_ALERT_CHANNEL: `webchat:${STAFF_ROOM}`,
    HOTLINE_URL: fake.url,
    HOTLINE_SECRET: SECRET,
    HOTLINE_BACKOFF_MS: '100',
  });
  const { services } = gw.gateway;
  const throttle = { blockedFor: async () => 0, failed: async () => {} } as unknown as AuthThrottle;
  const app = express();
  app.use(ticketsApi({ store: services.store, lifecycle: services.tickets.lifecycle, joint: services.tickets.jointHandling }, { token: undefined, throttle, accounts: async (t) => UNIT_USERS[t] }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  unitDoor = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
});
afterAll(async () => {
  await new Promise((r) => unitDoor?.server.close(r));
  await gw?.stop();
  await fake?.stop();
});

describe('calling units in', () => {
  it('suggests the category departments, refuses bad input without changing anything, then calls in once', async () => {
    const { citizen, number } = await fileComplaint('丰台区卢沟桥街道丰台北路上的井盖丢了，晚上很危险');
    const fresh = await getTicket(number);
    expect(fresh).toMatchObject({ unit: '卢沟桥街道', category: 'municipal', callins: [], callinSuggestions: [DEPT, '北京市城市管理委员会'] });
    expect((await (await fetch(`${gw.url}/api/tickets/${number}/callins/suggestions`, { headers: auth() })).json()) as any).toEqual({ suggestions: [DEPT, '北京市城市管理委员会'] });

    const bad: [unknown, string][] = [
      [{}, 'units'],
      [{ units: [] }, 'units'],
      [{ units: 'x' }, 'units'],
      [{ units: [''] }, 'units.0'],
      [{ units: ['不存在的委员会'] }, 'units'],
      [{ units: [DEPT, '不存在的委员会'] }, 'units'],
      [{ units: ['卢沟桥街道'] }, 'units'],
      [{ units: ['a\u0000b'] }, 'units.0'],
      [{ units: [DEPT], priority: 'high' }, 'priority'],
    ];
    for (const [body, field] of bad) {
      const r = await callIn(number, body);
      expect([r.status, r.body.error, r.body.field], JSON.stringify(body)).toEqual([400, 'invalid_request', field]);
    }
    expect((await callIn(number, '{"units": [')).status).toBe(400);
    expect((await callIn('20990101-000001', { units: [DEPT] })).status).toBe(404);
    expect((await callIn(number, { units: [DEPT] }, {})).status).toBe(401);
    const unchanged = await getTicket(number);
    expect(unchanged.callins).toEqual([]);
    expect(unchanged.events.map((e: any) => e.id)).toEqual(fresh.events.map((e: any) => e.id));

    const first = await callIn(number, { units: [DEPT], note: '井盖缺失，需城管委协调更换' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ added: [DEPT], already: [] });
    const c = first.body.callins[0];
    expect(c).toMatchObject({ unit: DEPT, calledBy: 'admin:admin', note: '井盖缺失，需城管委协调更换', reportedAt: null, late: false });
    // 2-hour and 24-hour tickets: report within 2 hours; others within 24.
    const limitH = ['2h', '24h'].includes(fresh.tier) ? 2 : 24;
    expect(Date.parse(c.dueAt) - Date.parse(c.calledAt)).toBe(limitH * 3600_000);

    const again = await callIn(number, { units: [DEPT, '北京市城市管理委员会'] });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ added: ['北京市城市管理委员会'], already: [DEPT] });
    const twice = await callIn(number, { units: [DEPT] });
    expect([twice.status, twice.body.added, twice.body.already]).toEqual([200, [], [DEPT]]);

    const t = await getTicket(number);
    expect(t.callins.map((x: any) => x.unit)).toEqual([DEPT, '北京市城市管理委员会']);
    expect(t.callinSuggestions).toEqual([]);
    expect(t.events.filter((e: any) => e.kind === 'called_in').map((e: any) => [e.unit, e.actor, e.toStatus])).toEqual([
      [DEPT, 'admin:admin', null],
      ['北京市城市管理委员会', 'admin:admin', null],
    ]);
    // The status is untouched, and the staff channel hears about each unit called in (no citizen's words).
    expect(t.status).toBe(fresh.status);
    await waitUntil(async () => {
      const staff = ((await (await fetch(`${gw.url}/api/webchat/sessions/${STAFF_ROOM}/messages`)).json()) as any).messages;
      return staff.filter((m: any) => m.text.includes('【吹哨报到】') && m.text.includes(number)).length === 2;
    }, 15_000, 'two call-in alerts');
    const staff = ((await (await fetch(`${gw.url}/api/webchat/sessions/${STAFF_ROOM}/messages`)).json()) as any).messages;
    const alert = staff.find((m: any) => m.text.includes(`请${DEPT}`));
    expect(alert.text).toContain('卢沟桥街道吹哨');
    expect(alert.text).not.toContain('井盖丢了');
    // Nothing about the call-in reaches the citizen.
    await new Promise((r) => setTimeout(r, 300));
    expect(citizen.pushed.filter((m) => m.kind === 'feedback' && /吹哨|协办/.test(m.text))).toEqual([]);
    citizen.close();
  });

  it('lists the tickets a unit is called in to (协办)', async () => {
    const { citizen, number } = await fileComplaint('丰台区卢沟桥街道万丰路有个下水道井盖塌陷了');
    await callIn(number, { units: [DEPT] });
    const mine = (await (await fetch(`${gw.url}/api/tickets?calledIn=${encodeURIComponent(DEPT)}&limit=100`, { headers: auth() })).json()) as any;
    const item = mine.items.find((x: any) => x.number === number);
    expect(item).toMatchObject({ unit: '卢沟桥街道', calledIn: [DEPT] });
    expect(mine.items.every((x: any) => x.calledIn.includes(DEPT))).toBe(true);
    const other = (await (await fetch(`${gw.url}/api/tickets?calledIn=${encodeURIComponent('北京市交通委员会')}`, { headers: auth() })).json()) as any;
    expect(other.items.some((x: any) => x.number === number)).toBe(false);
    expect((await fetch(`${gw.url}/api/tickets?calledIn=${encodeURIComponent('a\u0000')}`, { headers: auth() })).status).toBe(400);
    citizen.close();
  });

  it('refuses closed tickets', async () => {
    const { citizen, number } = await fileComplaint('丰台区卢沟桥街道小区门口路灯不亮');
    await postJson(`${gw.url}/api/tickets/${number}/events`, { status: 'rejected', note: '不属于受理范围' }, auth());
    const r = await callIn(number, { units: [DEPT] });
    expect([r.status, r.body.error]).toEqual([409, 'ticket_closed']);
    expect((await getTicket(number)).callins).toEqual([]);
    citizen.close();
  });
});

describe('reports (报到)', () => {
  it('records one report per called unit; an admin names the unit; a second report is a 409', async () => {
    const { citizen, number } = await fileComplaint('丰台区卢沟桥街道丰台北路人行道上井盖松动');
    await callIn(number, { units: [DEPT] });
    const eventIds = async () => (await getTicket(number)).events.map((e: any) => e.id);
    const before = await eventIds();

    for (const [body, field] of [
      [{}, 'note'],
      [{ note: '   ' }, 'note'],
      [{ note: '已到场', extra: 1 }, 'extra'],
      [{ note: '已到场' }, 'unit'],
    ] as [unknown, string][]) {
      const r = await report(number, body);
      expect([r.status, r.body.field], JSON.stringify(body)).toEqual([400, field]);
    }
    const notCalled = await report(number, { note: '已到场', unit: '北京市交通委员会' });
    expect(notCalled.status).toBe(404);
    expect((await report('20990101-000001', { note: '已到场', unit: DEPT })).status).toBe(404);
    expect(await eventIds()).toEqual(before);

    const ok = await report(number, { note: '已到现场，今日更换井盖', unit: DEPT });
    expect(ok.status).toBe(200);
    expect(ok.body.callin).toMatchObject({ unit: DEPT, reportNote: '已到现场，今日更换井盖', reportedBy: 'admin:admin', late: false });
    expect(ok.body.callin.reportedAt).toEqual(expect.any(String));
    const second = await report(number, { note: '再次报到', unit: DEPT });
    expect([second.status, second.body.error]).toEqual([409, 'already_reported']);
    const t = await getTicket(number);
    expect(t.callins[0].reportNote).toBe('已到现场，今日更换井盖');
    expect(t.events.filter((e: any) => e.kind === 'reported').map((e: any) => [e.unit, e.note])).toEqual([[DEPT, '已到现场，今日更换井盖']]);

    // Both steps reach the hotline once each, in order, after the ticket, with no status.
    await waitUntil(() => fake.eventsFor(number).length === 2, 20_000, 'called_in and reported at the hotline');
    const sent = fake.eventsFor(number);
    expect(sent.map((e) => [e.kind, e.unit, e.fromStatus, e.toStatus, e.note])).toEqual([
      ['called_in', DEPT, null, null, null],
      ['reported', DEPT, null, null, '已到现场，今日更换井盖'],
    ]);
    expect(sent[0].reportDueAt).toBe(t.callins[0].dueAt);
    expect(sent[1].reportDueAt).toBeUndefined();
    expect(sent[0].actor).toBe('admin:admin');
    citizen.close();
  });

  it('flags a report not made by its deadline once, like an overdue ticket', async () => {
    const { citizen, number } = await fileComplaint('丰台区卢沟桥街道丰台北路路面塌了一个坑');
    await callIn(number, { units: [DEPT] });
    const due = Date.parse((await getTicket(number)).callins[0].dueAt);
    const { tickets, database, log } = gw.gateway.services;
    // The overdue job's tick, with a clock past the report deadline.
    const tick = (at: number) => runSupervisionTick({ db: database.db, notifier: tickets.notifier, jointHandling: tickets.jointHandling, log, now: () => new Date(at) });
    const late = async () => (await getTicket(number)).events.filter((e: any) => e.kind === 'callin_late').map((e: any) => e.unit);
    await tick(due - 1000);
    expect(await late()).toEqual([]);
    expect((await getTicket(number)).callins[0].late).toBe(false);
    await tick(due + 1000);
    await tick(due + 60_000);
    expect(await late()).toEqual([DEPT]);
    await waitUntil(async () => {
      const staff = ((await (await fetch(`${gw.url}/api/webchat/sessions/${STAFF_ROOM}/messages`)).json()) as any).messages;
      return staff.some((m: any) => m.text.includes('【报到超时】') && m.text.includes(number));
    }, 15_000, 'late-report alert');
    citizen.close();
  });
});

describe('who may call in and report', () => {
  it('lets the handling unit call in, the called unit report for itself, and nobody else', async () => {
    const { citizen, number } = await fileComplaint('丰台区卢沟桥街道丰台北路的路灯杆被撞歪了');
    const base = unitDoor.url;
    // Another unit does not learn the ticket exists; an analyst may not act; a unit cannot pick someone else's ticket.
    expect((await callIn(number, { units: [DEPT] }, OTHER_UNIT, base)).status).toBe(404);
    expect((await callIn(number, { units: [DEPT] }, ANALYST, base)).status).toBe(403);
    expect((await fetch(`${base}/api/tickets/${number}/callins/suggestions`, { headers: OTHER_UNIT })).status).toBe(404);
    expect((await fetch(`${base}/api/tickets/${number}/callins/suggestions`, { headers: STREET })).status).toBe(200);
    expect((await getTicket(number)).callins).toEqual([]);

    const called = await callIn(number, { units: [DEPT], note: '灯杆需城管委处置' }, STREET, base);
    expect(called.status).toBe(201);
    expect(called.body.callins[0].calledBy).toBe('unit:卢沟桥街道:li');
    // The called unit sees it, but the handling unit is the one that calls others in.
    expect((await callIn(number, { units: ['北京市城市管理委员会'] }, DEPT_USER, base)).status).toBe(403);
    expect((await callIn(number, { units: ['北京市城市管理委员会'] }, OPERATOR, base)).status).toBe(201);

    const eventIds = async () => (await getTicket(number)).events.map((e: any) => e.id);
    const before = await eventIds();
    expect((await report(number, { note: '已到场' }, OTHER_UNIT, base)).status).toBe(404);
    expect((await report(number, { note: '已到场' }, STREET, base)).status).toBe(404);
    expect((await report(number, { note: '已到场' }, ANALYST, base)).status).toBe(403);
    expect((await report(number, { note: '已到场' }, OPERATOR, base)).status).toBe(403);
    expect((await report(number, { note: '已到场', unit: '北京市城市管理委员会' }, DEPT_USER, base)).status).toBe(403);
    expect(await eventIds()).toEqual(before);

    const ok = await report(number, { note: '已到场扶正灯杆' }, DEPT_USER, base);
    expect(ok.status).toBe(200);
    expect(ok.body.callin).toMatchObject({ unit: DEPT, reportedBy: `unit:${DEPT}:zhao` });
    expect((await report(number, { note: '再报一次' }, DEPT_USER, base)).status).toBe(409);
    citizen.close();
  });
});

describe('the console', () => {
  it('shows call-ins on the ticket and 协办 in the list, and reports 报到率 per called unit with its CSV', async () => {
    const { citizen, number } = await fileComplaint('丰台区卢沟桥街道丰台北路的雨水箅子被偷了');
    const called = await postJson(`${gw.url}/api/admin/tickets/${number}/callins`, { units: [DEPT], note: '请城管委更换' }, auth());
    expect(called.status).toBe(201);
    const t = (await (await fetch(`${gw.url}/api/admin/tickets/${number}`, { headers: auth() })).json()) as any;
    expect(t).toMatchObject({ canCallIn: true, callins: [{ unit: DEPT, note: '请城管委更换' }], callinSuggestions: ['北京市城市管理委员会'] });
    const list = (await (await fetch(`${gw.url}/api/admin/tickets?calledIn=${encodeURIComponent(DEPT)}&size=200`, { headers: auth() })).json()) as any;
    expect(list.items.find((x: any) => x.number === number)).toMatchObject({ calledIn: [DEPT] });
    expect(list.items.every((x: any) => x.calledIn.includes(DEPT))).toBe(true);
    expect((await postJson(`${gw.url}/api/admin/tickets/${number}/callins/report`, { note: '已更换', unit: DEPT }, auth())).status).toBe(200);

    const today = localDate(new Date(), 'Asia/Shanghai');
    const rates = (await (await fetch(`${gw.url}/api/admin/rates?from=${today}&to=${today}`, { headers: auth() })).json()) as any;
    const dept = rates.callins.find((r: any) => r.unit === DEPT);
    expect(dept.called).toBeGreaterThanOrEqual(5);
    expect(dept.onTime).toBeGreaterThanOrEqual(3);
    const csv = await (await fetch(`${gw.url}/api/admin/rates/callins.csv?from=${today}&to=${today}`, { headers: auth() })).text();
    expect(csv).toContain('被吹哨单位,吹哨次数,按时报到,超时报到,超时未报到,报到率,平均报到用时');
    expect(csv).toContain(`${DEPT},${dept.called},${dept.onTime},`);
    citizen.close();
  });
});
