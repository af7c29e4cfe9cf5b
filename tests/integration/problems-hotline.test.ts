// Problems in the hotline sync (HOTLINE_URL configured): a problem made or changed through the API reaches the
// fake hotline (tests/fakes/hotline-server.ts) as its whole signed state, newest version last; a 500 is retried;
// and a change made where nobody queued it (straight in the store) is found and sent by the scheduled problem
// check's sweep.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { FakeHotline } from '../fakes/hotline-server.js';
import { openDatabase, type Database } from '../../src/tickets/db.js';
import { ProblemStore } from '../../src/tickets/problem-store.js';
import { plant, PLACE_PROBLEM } from './problems-fixture.js';

const SECRET = 'problems-hotline-secret-0123456789';
let gw: TestGateway;
let fake: FakeHotline;
let database: Database;
const now = new Date();

beforeAll(async () => {
  fake = await new FakeHotline(SECRET).start();
  gw = await startTestGateway({ HOTLINE_URL: fake.url, HOTLINE_SECRET: SECRET, HOTLINE_BACKOFF_MS: '50', PROBLEM_CHECK_MS: '1000', SPIKE_CHECK_MS: '0' });
  database = await openDatabase({ databaseUrl: gw.databaseUrl });
}, 120_000);

afterAll(async () => {
  await database?.close();
  await gw?.stop();
  await fake?.stop();
}, 60_000);

const call = (path: string, method: string, json: unknown) =>
  fetch(gw.url + path, { method, headers: { authorization: `Bearer ${gw.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });

it('sends each problem state to the hotline, retrying failures and sweeping up changes nobody queued', async () => {
  const picked = await plant(database.db, PLACE_PROBLEM.slice(0, 3), now, 'hotline');
  const res = await call('/api/problems', 'POST', { title: '假日风景小区电梯反复故障', leadUnit: '卢沟桥街道办事处', category: 'property', street: '卢沟桥街道', spot: '风景小区', ticketNumbers: picked.map((t) => t.number) });
  expect(res.status).toBe(201);
  const { id } = await res.json();
  await expect.poll(() => fake.problem(id)?.status, { timeout: 15_000 }).toBe('open');
  expect(fake.problem(id)).toMatchObject({ title: '假日风景小区电梯反复故障', leadUnit: '卢沟桥街道办事处', spot: '风景小区', tickets: expect.arrayContaining(picked.map((t) => t.number)), projects: [] });

  // The hotline fails twice: the new state still arrives.
  fake.next('500', '500');
  await call(`/api/problems/${id}/projects`, 'POST', { title: '电梯更新', owner: '丰台区住建委', budget: 120 });
  await expect.poll(() => fake.problem(id)?.projects.length, { timeout: 15_000 }).toBe(1);
  expect(fake.attempts.filter((a) => a.behaviour === '500')).toHaveLength(2);

  // Changed where no one queues it: the scheduled check's sweep sends it.
  await new ProblemStore(database.db).change(id, { status: 'solved' }, new Date(), 'operator:script');
  await expect.poll(() => fake.problem(id)?.status, { timeout: 15_000 }).toBe('solved');
  expect(fake.problem(id)!.solvedAt).not.toBeNull();
  // Every state taken once, each newer than the last.
  const versions = fake.problems.filter((p) => p.id === id).map((p) => Date.parse(p.version));
  expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  expect(fake.attempts.every((a) => a.verified)).toBe(true);
});
