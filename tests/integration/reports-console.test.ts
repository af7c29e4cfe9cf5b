// The console's HTTP side against a real gateway (Redis, PostgreSQL, workers): login and sessions, CSRF,
// the ticket list and actions, knowledge-base editing with hot reload, report exports (masked), spike alerts
// to the staff channel, and the `jiesu report` command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/http/admin/staff-credentials.js';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { DEFAULT_KB_PATH } from '../../src/nlu/index.js';
import { loadConfig } from '../../src/config.js';
import { runReportCommand } from '../../src/reports/report-command.js';
import { jobIdFor } from '../../src/core/job-id.js';
import { D, insertDayFixture, insertSpikeFixture } from './reports-fixture.js';

let gw: TestGateway;
let dir: string;
let kbPath: string;
let cookie = '';
let csrf = '';

async function login(form: Record<string, string>): Promise<Response> {
  return fetch(`${gw.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
}

function call(path: string, init: RequestInit & { json?: unknown; noCsrf?: boolean } = {}): Promise<Response> {
  const headers: Record<string, string> = { cookie, origin: gw.url, ...(init.headers as Record<string, string>) };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.method && init.method !== 'GET' && !init.noCsrf) headers['x-csrf-token'] = csrf;
  return fetch(`${gw.url}${path}`, { ...init, headers, redirect: 'manual', body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jiesu-admin-'));
  kbPath = join(dir, 'faq.yaml');
  copyFileSync(DEFAULT_KB_PATH, kbPath);
  const hash = await hashPassword('alice-password');
  gw = await startTestGateway({ KB_PATH: kbPath, ADMIN_USERS: `alice:${hash}`, STAFF_ALERT_CHANNEL: 'webchat:staff-room', SPIKE_CHECK_MS: '0' });
  await insertDayFixture(gw.gateway.services.database.db);
  await insertSpikeFixture(gw.gateway.services.database.db);
}, 180_000);

afterAll(async () => {
  await gw?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('console login', () => {
  it('redirects pages and refuses the API without a session', async () => {
    const page = await fetch(`${gw.url}/admin/tickets?status=dispatched`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Ftickets%3Fstatus%3Ddispatched');
    const api = await fetch(`${gw.url}/api/admin/tickets`);
    expect(api.status).toBe(401);
    expect((await api.json()).error).toBe('unauthorized');
    const forged = await fetch(`${gw.url}/api/admin/tickets`, { headers: { cookie: 'jiesu_admin=eyJ1c2VyIjoiYWRtaW4iLCJleHAiOjk5OTk5OTk5OTk5OTksImNzcmYiOiJ4In0.AAAA' } });
    expect(forged.status).toBe(401);
  });

  it('refuses a wrong token and a wrong password', async () => {
    expect((await login({ token: 'not-the-token-at-all' })).status).toBe(401);
    const bad = await login({ user: 'alice', password: 'guess' });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('令牌或用户名、密码不正确');
    expect(bad.headers.get('set-cookie')).toBeNull();
  });

  it('logs in with a configured user, and with the admin token, into an HttpOnly SameSite=Strict cookie', async () => {
    const alice = await login({ user: 'alice', password: 'alice-password', next: '/admin/kb' });
    expect(alice.status).toBe(303);
    expect(alice.headers.get('location')).toBe('/admin/kb');
    const res = await login({ token: gw.adminToken, next: 'https://evil.example/' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin'); // no open redirect: the role's own start
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^jiesu_admin=[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    cookie = setCookie.split(';')[0];
    const session = await (await call('/api/admin/session')).json();
    expect(session.user).toBe('admin');
    csrf = session.csrf;
    expect(csrf).toMatch(/^[\w-]{16,}$/);
    const page = await call('/admin/tickets');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<meta name="csrf-token" content="${csrf}">`);
    expect(html).not.toMatch(/<script>|style=/); // the CSP allows neither
  });

  it('accepts the bearer token for scripts', async () => {
    const res = await fetch(`${gw.url}/api/admin/tickets?size=1`, { headers: { authorization: `Bearer ${gw.adminToken}` } });
    expect(res.status).toBe(200);
  });

  it('refuses changes without the CSRF token or from another origin', async () => {
    expect((await call('/api/admin/kb/try', { method: 'POST', json: { text: '社保卡丢了' }, noCsrf: true })).status).toBe(403);
    expect((await call('/api/admin/kb/try', { method: 'POST', json: { text: '社保卡丢了' }, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await call('/api/admin/kb/try', { method: 'POST', json: { text: '社保卡丢了' } })).status).toBe(200);
  });
});

describe('tickets in the console', () => {
  it('lists overdue first, masks numbers, filters and searches', async () => {
    // T4, T5 (received on D) and P2 (the day before) are open past their limits.
    const list = await (await call(`/api/admin/tickets?size=5&from=2026-03-09&to=${D}`)).json();
    expect(list.overdueTotal).toBe(3);
    expect(list.total).toBe(11);
    expect(list.items.slice(0, 3).every((t: { overdue: boolean }) => t.overdue)).toBe(true);
    const noisy = await (await call(`/api/admin/tickets?street=${encodeURIComponent('三里屯街道')}&category=noise&from=${D}&to=${D}`)).json();
    expect(noisy.total).toBe(3);
    const withPhone = noisy.items.find((t: { text: string }) => t.text.includes('联系电话'));
    expect(withPhone.text).toBe('楼下施工太吵，联系电话138****5678');
    const search = await (await call(`/api/admin/tickets?q=${encodeURIComponent('施工太吵')}&from=2026-03-01`)).json();
    expect(search.total).toBe(1);
    expect((await call('/api/admin/tickets?status=x&bogus=1')).status).toBe(400);
  });

  it('exports the selection as masked CSV', async () => {
    const res = await call(`/api/admin/tickets.csv?street=${encodeURIComponent('三里屯街道')}&from=${D}&to=${D}`);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for UTF-8
    const text = bytes.toString('utf8');
    expect(text).toContain('工单号,状态,');
    expect(text).toContain('138****5678');
    expect(text).not.toContain('13812345678');
  });

  it('shows a ticket with its timeline and changes its status through the lifecycle', async () => {
    const list = await (await call('/api/admin/tickets?status=dispatched&street=' + encodeURIComponent('卢沟桥街道') + `&from=${D}&to=${D}`)).json();
    const number = list.items[0].number;
    const t = await (await call(`/api/admin/tickets/${number}`)).json();
    // The fixture's tickets are months past their time limit: supervision may have flagged this one already
    // (an 'overdue' event that keeps the status), depending on when its periodic job first ran.
    const changes = t.events.filter((e: { kind: string }) => e.kind !== 'overdue');
    expect(changes.map((e: { toStatus: string }) => e.toStatus)).toEqual(['received', 'dispatched']);
    expect(t.allowedNext).toContain('in_progress');
    const bad = await call(`/api/admin/tickets/${number}/events`, { method: 'POST', json: { status: 'visited' } });
    expect(bad.status).toBe(400);
    const ok = await call(`/api/admin/tickets/${number}/events`, { method: 'POST', json: { status: 'in_progress', note: '已联系市民' } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).status).toBe('in_progress');
    const after = await (await call(`/api/admin/tickets/${number}`)).json();
    expect(after.events.at(-1)).toMatchObject({ toStatus: 'in_progress', actor: 'staff:admin:admin', note: '已联系市民' });
  });
});

describe('knowledge base in the console', () => {
  const entry = { id: 'test-dog-license', topic: '测试', questions: ['养狗怎么办狗证', '狗证在哪里办理'], answer: '养犬登记请到居住地派出所办理。' };

  it('rejects an invalid entry and changes nothing', async () => {
    const before = (await (await call('/api/admin/kb')).json()).version;
    const res = await call('/api/admin/kb', { method: 'POST', json: { ...entry, id: 'Bad Id' } });
    expect(res.status).toBe(400);
    const dup = await call('/api/admin/kb', { method: 'POST', json: { ...entry, id: 'social-card-loss' } });
    expect(dup.status).toBe(409);
    expect((await (await call('/api/admin/kb')).json()).version).toBe(before);
  });

  it('creates, edits and deletes an entry as new versions, and the bot answers from it at once', async () => {
    const created = await call('/api/admin/kb?confirm=true', { method: 'POST', json: entry });
    expect(created.status).toBe(201);
    expect((await (await call('/api/admin/kb')).json()).entries.map((e: { id: string }) => e.id)).toContain('test-dog-license');
    const d = await (await call('/api/admin/kb/try', { method: 'POST', json: { text: '养狗怎么办狗证' } })).json();
    expect(d.candidates[0].faqId).toBe('test-dog-license');
    expect(gw.gateway.nlu.entry('test-dog-license')?.answer).toBe(entry.answer);
    const edited = await call('/api/admin/kb/test-dog-license?confirm=true', { method: 'PUT', json: { ...entry, answer: '养犬登记可在网上办理。' } });
    expect(edited.status).toBe(200);
    expect(gw.gateway.nlu.entry('test-dog-license')?.answer).toBe('养犬登记可在网上办理。');
    expect((await call('/api/admin/kb/test-dog-license?confirm=true', { method: 'DELETE' })).status).toBe(200);
    expect(gw.gateway.nlu.entry('test-dog-license')).toBeUndefined();
    expect(readFileSync(kbPath, 'utf8')).toBe(readFileSync(DEFAULT_KB_PATH, 'utf8')); // the seed file is never written
  });

  it('lists the questions the bot could not answer', async () => {
    const u = await (await call('/api/admin/unanswered')).json();
    expect(Array.isArray(u.recorded)).toBe(true);
    expect(Array.isArray(u.tickets)).toBe(true);
  });
});

describe('reports in the console', () => {
  it('serves the daily bulletin as JSON, CSV (masked, with BOM) and Markdown', async () => {
    const json = await (await call(`/api/admin/reports/daily?date=${D}`)).json();
    expect(json.headline[0]).toEqual({ label: '受理量', value: 7 });
    const csv = await call(`/api/admin/reports/daily.csv?date=${D}&table=by-channel`);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="?daily-2026-3-10-by-channel\.csv"?/);
    expect(await csv.text()).toContain('网站对话,4,57.1%,1,+3（+300.0%）');
    const md = await (await call(`/api/admin/reports/daily.md?date=${D}`)).text();
    expect(md).toContain('# 12345热线日通报（2026年3月10日）');
    expect((await call('/api/admin/reports/yearly')).status).toBe(404);
    expect((await call('/api/admin/reports/daily?date=2026-13-40')).status).toBe(400);
  });

  it('serves the heat map and the three rates with the ranking', async () => {
    const hm = await (await call(`/api/admin/heatmap?from=${D}&to=${D}`)).json();
    expect(hm.streets.map((s: { street: string }) => s.street)).toEqual(['三里屯街道', '卢沟桥街道']);
    expect(hm.categoryLabels).toContain('噪声扰民');
    const rates = await (await call(`/api/admin/rates?from=${D}&to=${D}&by=street`)).json();
    expect(rates.rows.map((r: { key: string; score: number }) => [r.key, r.score])).toEqual([
      ['三里屯街道', 96.67],
      ['卢沟桥街道', 5],
    ]);
    const csv = await (await call(`/api/admin/rates.csv?from=${D}&to=${D}&by=unit`)).text();
    expect(csv).toContain('三里屯街道,3,66.7%,100.0%,100.0%,96.67');
  });

  it('raises a spike alert once, to the console and to the staff channel', async () => {
    const { SpikeAlerter } = await import('../../src/reports/spike-alerts.js');
    const services = gw.gateway.services;
    const a = new SpikeAlerter({
      db: services.database.db,
      redis: () => services.queues.outbound.getBackend().client as never,
      outbound: services.queues.outbound,
      prefix: gw.prefix,
      timeZone: 'Asia/Shanghai',
      staff: { channel: 'webchat', conversationId: 'staff-room' },
    });
    const asOf = new Date('2026-06-01T04:00:00Z');
    const first = await a.check({ asOf });
    expect(first.map((x) => `${x.street}/${x.category}/${x.count}`)).toEqual(['东华门街道/greening/14']);
    expect((await a.check({ asOf })).length).toBe(0);
    const job = await services.queues.outbound.getJob(jobIdFor(first[0].key));
    expect(job?.data.address).toEqual({ channel: 'webchat', conversationId: 'staff-room' });
    expect(job?.data.reply.text).toContain('东城区东华门街道「园林绿化」类诉求激增');
    const listed = await (await call('/api/admin/spikes')).json();
    expect(listed.alerts[0]).toMatchObject({ street: '东华门街道', notified: true });
  });
});

describe('jiesu report', () => {
  it('writes the daily bulletin to a file and refuses bad arguments', async () => {
    const config = loadConfig({ DATABASE_URL: gw.databaseUrl, LOG_LEVEL: 'silent' });
    const out = join(dir, 'daily.md');
    const err: string[] = [];
    expect(await runReportCommand(['daily', '--date', D, '--out', out], config, { err: (s) => err.push(s) })).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('**受理量**：7');
    let printed = '';
    expect(await runReportCommand(['weekly', '--date', D, '--format', 'json'], config, { out: (s) => (printed += s) })).toBe(0);
    expect(JSON.parse(printed).meta.kind).toBe('weekly');
    expect(await runReportCommand(['yearly'], config, { err: () => {} })).toBe(2);
    expect(await runReportCommand(['daily', '--date', '2026-02-30'], config, { err: () => {} })).toBe(2);
  });
});
