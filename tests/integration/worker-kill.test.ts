// A worker process SIGKILLed while jobs are in flight, and restarted: every acknowledged complaint ends as
// exactly one ticket.
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { spawnJiesu, killAndWait } from '../helpers/processes.js';
import { postJson, waitUntil } from '../helpers/webchat-client.js';
import { TEST_REDIS_URL } from '../helpers/databases.js';

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({ RUN_WORKERS: '0', CONFIRM_COMPLAINTS: '0' });
});
afterAll(async () => {
  await gw?.stop();
});

it('loses and doubles nothing when a worker is killed mid-flight', { timeout: 240_000 }, async () => {
  const env = { REDIS_URL: TEST_REDIS_URL, DATABASE_URL: gw.databaseUrl, QUEUE_PREFIX: gw.prefix, WORKER_LOCK_MS: '2000', TICKET_CONCURRENCY: '2' };
  const N = 400;
  const acked: string[] = [];
  const sends = Array.from({ length: N }, (_, i) => async () => {
    const r = await postJson(`${gw.url}/api/webchat/messages`, {
      sessionId: `killtest-session-${i % 40}`,
      messageId: `killtest-msg-${i}`,
      text: `投诉：朝阳区望京街道一个小区门口的路灯坏了好几天了，晚上很黑（第${i}号）`,
    });
    if (r.status === 200 && r.body.status === 'queued') acked.push(`webchat:killtest-session-${i % 40}/killtest-msg-${i}`);
  });
  for (let b = 0; b < N; b += 50) await Promise.all(sends.slice(b, b + 50).map((f) => f()));
  expect(acked.length).toBe(N);
  const client = new pg.Client({ connectionString: gw.databaseUrl });
  await client.connect();
  const count = async () => Number((await client.query('select count(*) from tickets')).rows[0].count);
  // Kill the worker twice while it is working through the backlog: once a few tickets exist, and again later.
  let worker = spawnJiesu(['worker'], env);
  try {
    for (const threshold of [40, 200]) {
      await waitUntil(async () => (await count()) >= threshold, 60_000, `${threshold} tickets`);
      await killAndWait(worker, 'SIGKILL');
      worker = spawnJiesu(['worker'], env);
    }
    await waitUntil(async () => (await count()) >= N, 90_000, `all ${N} tickets`);
    await new Promise((r) => setTimeout(r, 1000));
    const { rows } = await client.query('select source_message_id from tickets');
    const ids = rows.map((r) => r.source_message_id as string);
    expect(ids.length).toBe(N);
    expect(new Set(ids)).toEqual(new Set(acked));
    const numbers = await client.query('select count(distinct number) as n from tickets');
    expect(Number(numbers.rows[0].n)).toBe(N);
  } finally {
    await client.end();
    await killAndWait(worker, 'SIGTERM');
  }
});
