// Problem lists over HTTP (/api/problems, bearer ADMIN_TOKEN) against a real gateway whose own scheduled
// problem check (PROBLEM_CHECK_MS) runs over eight planted weeks: suggestions appear, one becomes a problem,
// a proposal is confirmed, bad input is a 400 naming the field and changes nothing, a forbidden transition is a
// 409, a project is opened, and the before/after counts follow the day it was solved. Every response is
// checked against docs/openapi.yaml (tests/setup/contract.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { openDatabase, type Database } from '../../src/tickets/db.js';
import { plant, plantEightWeeks } from './problems-fixture.js';

let gw: TestGateway;
let database: Database;
const now = new Date();

beforeAll(async () => {
  gw = await startTestGateway({ PROBLEM_CHECK_MS: '1000', SPIKE_CHECK_MS: '0' });
  database = await openDatabase({ databaseUrl: gw.databaseUrl });
  await plantEightWeeks(database.db, now);
}, 120_000);

afterAll(async () => {
  await database?.close();
  await gw?.stop();
}, 60_000);

const call = (path: string, init: RequestInit & { json?: unknown } = {}) =>
  fetch(gw.url + path, {
    ...init,
    headers: { authorization: `Bearer ${gw.adminToken}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });

it('refuses callers without the token', async () => {
  expect((await fetch(gw.url + '/api/problems')).status).toBe(401);
  expect((await fetch(gw.url + '/api/problems', { headers: { authorization: 'Bearer nope-nope-nope' } })).status).toBe(403);
});

it('suggestions from the scheduled job become a problem that is tracked until the place stops calling', async () => {
  let suggestions: { key: string; kind: string; title: string; tickets: { number: string }[] }[] = [];
  await expect
    .poll(
      async () => {
        suggestions = (await (await call('/api/problems/suggestions')).json()).items;
        return suggestions.length;
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(2);
  const place = suggestions.find((s) => s.kind === 'place')!;
  expect(place.title).toContain('假日风景小区');

  // Bad input: a 400 naming the field, and nothing made.
  const bad = await call('/api/problems', { method: 'POST', json: { title: '', leadUnit: '卢沟桥街道办事处', suggestionKey: place.key } });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ error: 'invalid_request', field: 'title' });
  const neither = await call('/api/problems', { method: 'POST', json: { title: 'x', leadUnit: 'y' } });
  expect(await neither.json()).toMatchObject({ error: 'invalid_request', field: 'ticketNumbers' });
  // The store's refusal (no such tickets) is the same answer, naming the field.
  const unknown = await call('/api/problems', { method: 'POST', json: { title: 'x', leadUnit: 'y', ticketNumbers: ['20260101-999999'] } });
  expect([unknown.status, await unknown.json()]).toEqual([400, { error: 'invalid_request', field: 'ticketNumbers', reason: 'ticketNumbers: no such tickets: 20260101-999999' }]);
  expect((await (await call('/api/problems')).json()).total).toBe(0);

  const created = await call('/api/problems', {
    method: 'POST',
    json: { title: place.title, leadUnit: '卢沟桥街道办事处', involvedUnits: ['丰台区住建委'], targetDate: new Date(now.getTime() + 30 * 86_400_000).toISOString(), suggestionKey: place.key },
  });
  expect(created.status).toBe(201);
  const problem = await created.json();
  expect(problem).toMatchObject({ status: 'open', leadUnit: '卢沟桥街道办事处', spot: '风景小区', overdue: false, allowedNext: ['in_progress', 'needs_project', 'solved'] });
  expect(problem.tickets).toHaveLength(8);
  expect(problem.trend.before.tickets).toBe(8);
  expect((await call('/api/problems', { method: 'POST', json: { title: 'again', leadUnit: 'x', suggestionKey: place.key } })).status).toBe(404);

  // Units see the problems they lead or take part in.
  expect((await (await call('/api/problems?unit=丰台区住建委')).json()).total).toBe(1);
  expect((await (await call('/api/problems?unit=马家堡街道办事处')).json()).total).toBe(0);
  expect((await call('/api/problems?status=closed')).status).toBe(400);

  // A forbidden transition is refused with the way forward.
  const jump = await call(`/api/problems/${problem.id}`, { method: 'PATCH', json: { status: 'monitoring' } });
  expect(jump.status).toBe(409);
  expect((await jump.json()).reason).toContain('in_progress');

  // A new matching ticket is proposed by the next run, then confirmed by a person.
  const [fresh] = await plant(database.db, [{ week: 7, day: 6.9, text: '假日风景小区电梯又坏了，今天困人了', category: 'property', street: '卢沟桥街道' }], now, 'api');
  await expect
    .poll(async () => (await (await call(`/api/problems/${problem.id}`)).json()).tickets.filter((t: { state: string }) => t.state === 'proposed').length, { timeout: 30_000, interval: 500 })
    .toBe(1);
  const linked = await (await call(`/api/problems/${problem.id}/tickets`, { method: 'POST', json: { numbers: [fresh.number] } })).json();
  expect(linked.tickets.find((t: { number: string }) => t.number === fresh.number).state).toBe('linked');
  expect((await call(`/api/problems/${problem.id}/tickets`, { method: 'POST', json: { numbers: ['20990101-000001'] } })).status).toBe(400);

  const project = await call(`/api/problems/${problem.id}/projects`, { method: 'POST', json: { title: '假日风景小区电梯更新', owner: '丰台区住建委', budget: 120, milestones: [{ title: '立项', due: '2027-01-15' }] } });
  expect(project.status).toBe(201);
  expect(await project.json()).toMatchObject({ problemId: problem.id, budget: 120, milestones: [{ title: '立项', done: false }] });

  await call(`/api/problems/${problem.id}`, { method: 'PATCH', json: { status: 'needs_project' } });
  const solved = await (await call(`/api/problems/${problem.id}`, { method: 'PATCH', json: { status: 'solved' } })).json();
  expect(solved.status).toBe('solved');
  expect(solved.projects).toHaveLength(1);
  // Solved now, just after the last ticket: 9 before it, none since.
  expect(solved.trend.before).toMatchObject({ weeks: 8, tickets: 9 });
  expect(solved.trend.after).toMatchObject({ tickets: 0 });
});
