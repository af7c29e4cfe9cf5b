// The authorization matrix (issue 17): every route the app answers — read from its router stack, so a new route
// is in the matrix without editing this file — requested by every role: the bootstrap ADMIN_TOKEN, an operator,
// the unit a ticket is dispatched to, another unit, the social-media team and an analyst, each with its own
// staff API token. Each answer must be the one this file expects from the issue's roles: allowed, 403, or 404
// (another unit's ticket, as if it did not exist). A staff route without a rule in src/http/access/route-rules.ts,
// or without an expectation below, fails. Requests carry bodies the routes refuse (`{}`) and ids that do not
// exist, so an allowed request is seen to pass the door without changing anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { listRoutes, openLazyRoutes, type RouteInfo } from '../helpers/routes.js';
import { ticketInput } from '../helpers/ticket-input.js';
import { RouteRules } from '../../src/http/access/route-rules.js';
import { StaffStore, type StaffRole } from '../../src/tickets/staff-store.js';

type Who = 'admin' | 'operator' | 'unit' | 'otherUnit' | 'social' | 'analyst';
const EVERYONE: Who[] = ['admin', 'operator', 'unit', 'otherUnit', 'social', 'analyst'];
const UNITS: Who[] = ['unit', 'otherUnit'];

/**
 * Who may use what, written from the issue (not read from the policy): the first line whose path pattern and
 * method match a route decides. `ticket: true` marks routes on one ticket: the other unit gets 404 there.
 */
const EXPECTATIONS: { path: RegExp; methods?: RegExp; allowed: Who[]; ticket?: boolean }[] = [
  { path: /^\/admin\/(login|logout)$|^\/admin\/(static|vendor|mentions\/static)\//, allowed: EVERYONE },
  { path: /^\/admin$|^\/api\/admin\/(session|meta)$/, allowed: EVERYONE },
  // Tickets: everyone reads (a unit its own); the unit, operators and admins change; nobody but them dispatches.
  { path: /^\/(api\/)?(admin\/)?tickets\/:number\/events$/, allowed: ['admin', 'operator', 'unit'], ticket: true },
  { path: /^\/api\/(admin\/)?tickets\/:number\/callins(\/report)?$/, allowed: ['admin', 'operator', 'unit'], ticket: true },
  { path: /^\/api\/(admin\/)?tickets\/:number\/callins\/suggestions$/, allowed: EVERYONE.filter((w) => w !== 'otherUnit'), ticket: true },
  { path: /^\/api\/admin\/photos\//, allowed: EVERYONE },
  { path: /^\/api\/admin\/tickets\/:number\/category$/, allowed: ['admin', 'operator'] },
  { path: /^\/api\/admin\/tickets\/:number\/conversation$/, allowed: EVERYONE.filter((w) => w !== 'otherUnit'), ticket: true },
  { path: /^\/api\/admin\/tickets\/:number\/phone$/, allowed: ['admin', 'operator', 'unit', 'analyst'], ticket: true },
  { path: /^\/(api\/)?(admin\/)?tickets\/:number$/, allowed: EVERYONE.filter((w) => w !== 'otherUnit'), ticket: true },
  { path: /^\/(api\/)?(admin\/)?tickets(\.csv)?$/, allowed: EVERYONE },
  { path: /handoffs/, allowed: ['admin', 'operator', 'social'] },
  { path: /mentions/, allowed: ['admin', 'social'] },
  { path: /^\/(api\/)?admin\/(kb|unanswered|review)/, allowed: ['admin', 'operator'] },
  { path: /^\/api\/admin\/spikes\/check$/, allowed: ['admin', 'operator'] },
  { path: /^\/(api\/)?admin\/(reports|heatmap|rates|spikes)/, allowed: ['admin', 'operator', 'analyst'] },
  { path: /problems/, methods: /^GET$/, allowed: ['admin', 'operator', 'analyst'] },
  { path: /problems/, allowed: ['admin', 'operator'] },
  { path: /dead-letters/, allowed: ['admin', 'operator'] },
  { path: /^\/admin\/queues/, allowed: ['admin'] },
  { path: /^\/(api\/)?admin\/(users|audit)/, allowed: ['admin'] },
];

/** A value for each path parameter: the unit's ticket, else ids that name nothing. */
function fill(path: string, ticket: string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === 'number') return ticket;
    if (name === 'queueName') return 'no-such-queue';
    if (name === 'queueStatus') return 'failed';
    if (name === 'name') return 'nobody-here';
    if (name === 'file') return 'nothing.md';
    return '999999';
  });
}

type Outcome = 'allowed' | 403 | 404;

let gw: TestGateway;
let ticket = '';
let routes: RouteInfo[] = [];
const tokens = {} as Record<Who, string>;

beforeAll(async () => {
  gw = await startTestGateway({ RUN_WORKERS: '0', SPIKE_CHECK_MS: '0', PROBLEM_CHECK_MS: '0', KB_PATH: 'intents/faq.zh.yaml' });
  const { services } = gw.gateway;
  const t = await services.store.createFromMessage(ticketInput({ phone: '13812345678' }));
  ticket = t.ticket.number;
  await services.tickets.lifecycle.change({ number: ticket, to: 'dispatched', unit: '卢沟桥街道', actor: 'operator' });
  const staff = new StaffStore(services.database.db, { isKnownUnit: () => true });
  const accounts: [Who, StaffRole, string?][] = [
    ['operator', 'operator'],
    ['unit', 'unit', '卢沟桥街道'],
    ['otherUnit', 'unit', '太平桥街道'],
    ['social', 'social'],
    ['analyst', 'analyst'],
  ];
  for (const [who, role, unit] of accounts) {
    await staff.add({ name: `m-${who}`, role, ...(unit ? { unit } : {}) });
    tokens[who] = await staff.issueToken(`m-${who}`);
  }
  tokens.admin = gw.adminToken;
  await openLazyRoutes(gw);
  routes = listRoutes(gw.gateway.app).filter((r) => RouteRules.isStaffPath(r.path));
}, 120_000);

afterAll(async () => {
  await gw?.stop();
});

async function outcome(route: RouteInfo, who: Who): Promise<{ outcome: Outcome | number; detail: string }> {
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
  const res = await fetch(gw.url + fill(route.path, ticket), {
    method: route.method,
    redirect: 'manual',
    headers: { authorization: `Bearer ${tokens[who]}`, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    ...(hasBody ? { body: '{}' } : {}),
  });
  const text = await res.text();
  let error = '';
  try {
    error = (JSON.parse(text) as { error?: string }).error ?? '';
  } catch {
    error = text.includes('无权访问') ? 'forbidden' : text.includes('未找到') ? 'not_found' : '';
  }
  const detail = `${res.status} ${error}`;
  if (res.status === 401 || res.status >= 500) return { outcome: res.status, detail };
  if (res.status === 403 && error === 'forbidden') return { outcome: 403, detail };
  if (res.status === 404 && error === 'not_found' && route.path.includes(':number')) return { outcome: 404, detail };
  return { outcome: 'allowed', detail };
}

describe('authorization matrix: every route × every role', () => {
  it('finds the staff routes in the app (the console, the APIs, the queues board)', () => {
    expect(routes.length).toBeGreaterThan(100);
    for (const p of ['/api/admin/tickets/:number', '/api/tickets', '/admin/users', '/api/admin/audit.csv', '/admin/queues/api/queues']) expect(routes.map((r) => r.path)).toContain(p);
  });

  it('every staff route has a rule and an expectation', () => {
    const rules = new RouteRules();
    const missing = routes.filter((r) => !rules.declaredFor(r.method, r.path)).map((r) => `${r.method} ${r.path}: no rule in src/http/access/route-rules.ts`);
    const unexpected = routes.filter((r) => !EXPECTATIONS.some((e) => e.path.test(r.path) && (!e.methods || e.methods.test(r.method)))).map((r) => `${r.method} ${r.path}: no expectation in this test`);
    expect([...missing, ...unexpected]).toEqual([]);
  });

  it('answers each role as the issue says (allowed, 403, or 404 for another unit’s ticket)', async () => {
    const wrong: string[] = [];
    let cells = 0;
    for (const route of routes) {
      const rule = new RouteRules().declaredFor(route.method, route.path);
      // The login form and logout are open doors: a wrong password counts against the address, so they are not tried.
      if (rule?.kind === 'public' && route.method !== 'GET') continue;
      const e = EXPECTATIONS.find((x) => x.path.test(route.path) && (!x.methods || x.methods.test(route.method)));
      if (!e) continue;
      for (const who of EVERYONE) {
        const want: Outcome = e.allowed.includes(who) ? 'allowed' : e.ticket && who === 'otherUnit' ? 404 : 403;
        const got = await outcome(route, who);
        cells++;
        if (got.outcome !== want) wrong.push(`${route.method} ${route.path} as ${who}: want ${want}, got ${got.detail}`);
      }
    }
    console.log(`[authz] ${routes.length} staff routes × ${EVERYONE.length} roles = ${routes.length * EVERYONE.length} cells (${cells} requested)`);
    expect(wrong).toEqual([]);
  }, 300_000);

  it('a unit lists only the tickets dispatched to it; the other unit none of them', async () => {
    // Routed to the unit but not yet dispatched by the centre: not the unit's yet.
    const routed = (await gw.gateway.services.store.createFromMessage(ticketInput({ unit: '卢沟桥街道' }))).ticket;
    expect(routed.status).toBe('received');
    const get = (who: Who, n: string) => fetch(`${gw.url}/api/tickets/${n}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
    expect((await get('unit', routed.number)).status).toBe(404);
    expect((await get('operator', routed.number)).status).toBe(200);
    const list = async (who: Who, path: string) => (await (await fetch(gw.url + path, { headers: { authorization: `Bearer ${tokens[who]}` } })).json()) as { items: { number: string }[] };
    for (const path of ['/api/tickets', '/api/admin/tickets']) {
      expect((await list('unit', path)).items.map((t) => t.number)).toContain(ticket);
      expect((await list('unit', path)).items.map((t) => t.number)).not.toContain(routed.number);
      expect((await list('otherUnit', path)).items.map((t) => t.number)).not.toContain(ticket);
      expect((await list('operator', path)).items.map((t) => t.number)).toContain(ticket);
    }
    const csv = await (await fetch(`${gw.url}/api/admin/tickets.csv`, { headers: { authorization: `Bearer ${tokens.otherUnit}` } })).text();
    expect(csv).not.toContain(ticket);
  });

  it('a unit works its ticket as itself, but does not dispatch it; the event carries its name and role', async () => {
    const post = (who: Who, body: object) =>
      fetch(`${gw.url}/api/tickets/${ticket}/events`, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const redispatch = await post('unit', { status: 'dispatched', unit: '太平桥街道' });
    expect(redispatch.status).toBe(403);
    const start = await post('unit', { status: 'in_progress', actor: '冒名' });
    expect(start.status).toBe(200);
    const view = (await start.json()) as { ticket: { phone: string; phoneMasked: boolean; events: { actor: string; toStatus: string | null }[] } };
    expect(view.ticket.events.at(-1)).toMatchObject({ actor: 'staff:unit:m-unit', toStatus: 'in_progress' });
    expect(view.ticket).toMatchObject({ phone: '138****5678', phoneMasked: true });
    const audit = (await (await fetch(`${gw.url}/api/admin/audit?ticket=${ticket}`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).json()) as { items: { user: string; role: string; action: string }[] };
    expect(audit.items).toContainEqual(expect.objectContaining({ user: 'm-unit', role: 'unit', action: 'POST /api/tickets/:number/events' }));
  });

  it('显示 reveals the phone to a unit and an analyst, and the audit log says who revealed whose number when', async () => {
    const reveal = (who: Who) => fetch(`${gw.url}/api/admin/tickets/${ticket}/phone`, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}` } });
    type Entry = { id: number; user: string; role: string; ticketNumber: string; at: string };
    const entries = async () => ((await (await fetch(`${gw.url}/api/admin/audit?action=reveal_phone`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).json()) as { items: Entry[] }).items;
    const before = Math.max(0, ...(await entries()).map((e) => e.id));
    for (const who of ['unit', 'analyst'] as const) {
      const res = await reveal(who);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ number: ticket, phone: '13812345678' });
    }
    expect((await reveal('otherUnit')).status).toBe(404);
    const mine = (await entries()).filter((e) => e.id > before);
    expect(mine.every((e) => e.ticketNumber === ticket && Math.abs(Date.parse(e.at) - Date.now()) < 60_000)).toBe(true);
    expect(mine.map((e) => `${e.user}/${e.role}`).sort()).toEqual(['m-analyst/analyst', 'm-unit/unit']);
    const csv = await (await fetch(`${gw.url}/api/admin/audit.csv?action=reveal_phone`, { headers: { authorization: `Bearer ${gw.adminToken}` } })).text();
    expect(csv).toContain('m-unit,承办单位,reveal_phone,' + ticket);
    // The analyst is not an administrator: the log is not theirs to read.
    expect((await fetch(`${gw.url}/api/admin/audit`, { headers: { authorization: `Bearer ${tokens.analyst}` } })).status).toBe(403);
  });

  it('the social-media team sees and answers Weibo’s handed-over conversations only', async () => {
    const desk = gw.gateway.services.handoffs;
    await desk.open({ channel: 'weibo', conversationId: 'wb-1', isPublic: false }, 'zh', new Date());
    await desk.open({ channel: 'webchat', conversationId: 'web-1', isPublic: false }, 'zh', new Date());
    const list = async (who: Who) =>
      ((await (await fetch(`${gw.url}/api/admin/handoffs`, { headers: { authorization: `Bearer ${tokens[who]}` } })).json()) as { items: { address: { channel: string } }[] }).items.map((e) => e.address.channel).sort();
    expect(await list('social')).toEqual(['weibo']);
    expect(await list('operator')).toEqual(['webchat', 'weibo']);
    const release = (who: Who, channel: string, conversationId: string) =>
      fetch(`${gw.url}/api/admin/handoffs/release`, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel, conversationId }) });
    expect((await release('social', 'webchat', 'web-1')).status).toBe(404);
    // The agent inbox around it answers the same way: another channel's conversation is not there for social.
    const conversation = (who: Who, channel: string, conversationId: string) =>
      fetch(`${gw.url}/api/admin/handoffs/conversation?${new URLSearchParams({ channel, conversationId })}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
    expect((await conversation('social', 'webchat', 'web-1')).status).toBe(404);
    expect((await conversation('operator', 'webchat', 'web-1')).status).toBe(200);
    expect((await conversation('social', 'weibo', 'wb-1')).status).toBe(200);
    const claim = await fetch(`${gw.url}/api/admin/handoffs/claim`, { method: 'POST', headers: { authorization: `Bearer ${tokens.social}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'webchat', conversationId: 'web-1' }) });
    expect(claim.status).toBe(404);
    expect(await desk.get({ channel: 'webchat', conversationId: 'web-1' })).toBeDefined();
    expect((await release('social', 'weibo', 'wb-1')).status).toBe(200);
  });

  it('a unit called in to another unit’s ticket (吹哨报到) reaches it, in its list and by number', async () => {
    const get = (who: Who, path: string) => fetch(gw.url + path, { headers: { authorization: `Bearer ${tokens[who]}` } });
    expect((await get('otherUnit', `/api/tickets/${ticket}`)).status).toBe(404);
    const called = await fetch(`${gw.url}/api/tickets/${ticket}/callins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.unit}`, 'content-type': 'application/json' },
      body: JSON.stringify({ units: ['太平桥街道'], note: '请协助' }),
    });
    expect(called.status).toBe(201);
    expect((await get('otherUnit', `/api/tickets/${ticket}`)).status).toBe(200);
    expect(((await (await get('otherUnit', '/api/admin/tickets')).json()) as { items: { number: string }[] }).items.map((t) => t.number)).toContain(ticket);
  });
});

