// Two gateways behave as one (issue 16, §6). Two `jiesu start` processes and one `jiesu worker` share one Redis
// and one PostgreSQL database, behind a round-robin balancer on 127.0.0.1 that sends each new connection to
// the other instance. The gateways run workers too (RUN_WORKERS=1), so three processes compete for every
// queue. Telegram and Weibo are local fakes; each instance reaches them under its own path, so every platform
// call says which instance made it.
//
// In the chaos suite because it SIGKILLs a gateway, and because three Node processes timing lock takeovers
// should not share two cores with the integration suite's files running in parallel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { freePort, killAndWait, spawnJiesu } from '../helpers/processes.js';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';
import { RoundRobinProxy, postFresh, requestFresh } from '../helpers/round-robin-proxy.js';
import { WebchatCitizen, waitUntil } from '../helpers/webchat-client.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { FakeWeiboApi } from '../fakes/weibo-api.js';
import { OVERDUE_QUEUE } from '../../src/queue/overdue-queue.js';
import { SPIKE_CHECK_QUEUE } from '../../src/queue/spike-check-queue.js';

const ADMIN_TOKEN = 'two-gateways-admin-token-0123456789';
const PERIOD_MS = 1000;

type Proc = ChildProcess & { output: string[] };
const instances: { name: 'a' | 'b'; url: string; proc: Proc }[] = [];
let worker: Proc;
let proxy: RoundRobinProxy;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const prefix = uniquePrefix('two');
const telegram = new FakeTelegramApi();
const weibo = new FakeWeiboApi();

function outputOf(p: Proc): string {
  return p.output.join('').slice(-4000);
}

async function startInstance(name: 'a' | 'b'): Promise<void> {
  const port = await freePort();
  const proc = spawnJiesu(['start'], {
    ...commonEnv(),
    PORT: String(port),
    HOST: '127.0.0.1',
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.viaRoot(name),
    TELEGRAM_POLL_TIMEOUT_S: '1',
    ...weibo.gatewayEnv({ WEIBO_API_BASE: weibo.viaBase(name), WEIBO_POLL_MS: '500' }),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, 60_000, `gateway ${name} ready`).catch((err: Error) => {
    throw new Error(`${err.message}; output:\n${outputOf(proc)}`);
  });
  instances.push({ name, url, proc });
}

function commonEnv(): Record<string, string> {
  return {
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: db.url,
    QUEUE_PREFIX: prefix,
    ADMIN_TOKEN,
    LOG_LEVEL: 'info',
    OVERDUE_CHECK_MS: String(PERIOD_MS),
    SPIKE_CHECK_MS: String(PERIOD_MS),
    WORKER_LOCK_MS: '5000',
  };
}

const pollsOf = (via: string) => telegram.callsOf('getUpdates').filter((c) => c.via === via).length;
const weiboPollsOf = (via: string) => weibo.calls.filter((c) => c.endpoint.endsWith('mentions.json') && c.via === via).length;

beforeAll(async () => {
  db = await createTestDatabase();
  await telegram.start();
  await weibo.start();
  // A first, alone: it migrates the database and takes both pollers before B exists.
  await startInstance('a');
  await waitUntil(() => pollsOf('a') > 0 && weiboPollsOf('a') > 0, 30_000, 'a polling');
  await startInstance('b');
  worker = spawnJiesu(['worker'], { ...commonEnv(), TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.viaRoot('w'), ...weibo.gatewayEnv({ WEIBO_API_BASE: weibo.viaBase('w') }) });
  proxy = await RoundRobinProxy.to(instances.map((i) => i.url));
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all([...instances.map((i) => killAndWait(i.proc, 'SIGTERM')), worker && killAndWait(worker, 'SIGTERM')]);
  await telegram.stop();
  await weibo.stop();
  await db?.drop();
});

describe('web chat across instances', () => {
  /** One complaint that needs a follow-up, each POST on a fresh connection: the proxy alternates instances. */
  async function fileComplaint(c: WebchatCitizen): Promise<{ confirmedOn: number }> {
    const post = async (text: string) => {
      const r = await postFresh(`${proxy.url}/api/webchat/messages`, { sessionId: c.sessionId, messageId: randomUUID(), text });
      expect(r.status, r.text).toBe(200);
      return { body: r.json(), servedBy: proxy.served.at(-1)! };
    };
    const asked = await post('路灯坏了好几天了晚上特别黑');
    expect(asked.body.replies.at(-1).text).toMatch(/哪个区、哪个街道/);
    const confirm = await post('卢沟桥街道假日风景小区');
    // The slot answer reached the other instance, which still knew what it had asked.
    expect(confirm.servedBy).not.toBe(asked.servedBy);
    expect(confirm.body.replies.at(-1).text).toMatch(/请确认.*丰台区卢沟桥街道/s);
    const done = await post('确认');
    expect(done.servedBy).not.toBe(confirm.servedBy);
    expect(done.body.status).toBe('queued');
    return { confirmedOn: done.servedBy };
  }

  it('keeps a conversation whose messages alternate, and pushes the ticket number to the socket on the other instance', async () => {
    const c = new WebchatCitizen(proxy.url);
    await c.connect();
    const socketOn = proxy.served.at(-1)!;
    try {
      // The POSTs go to the other instance, this one, the other: the confirmation is taken without the socket.
      const { confirmedOn } = await fileComplaint(c);
      expect(confirmedOn).not.toBe(socketOn);
      const pushed = await c.waitFor((m) => m.kind === 'ticket', 30_000);
      expect(pushed.ticketNumber).toMatch(/^\d{8}-\d{6}$/);
    } finally {
      c.close();
    }
  });

  it('pushes the ticket number when the instance holding the socket took the confirmation', async () => {
    const c = new WebchatCitizen(proxy.url);
    await c.connect();
    const socketOn = proxy.served.at(-1)!;
    try {
      await requestFresh(`${proxy.url}/healthz`);
      const { confirmedOn } = await fileComplaint(c);
      expect(confirmedOn).toBe(socketOn);
      const pushed = await c.waitFor((m) => m.kind === 'ticket', 30_000);
      expect(pushed.ticketNumber).toMatch(/^\d{8}-\d{6}$/);
    } finally {
      c.close();
    }
  });
});

describe('console sessions across instances', () => {
  async function login(): Promise<{ cookie: string; csrf: string; on: number }> {
    const res = await requestFresh(`${proxy.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: ADMIN_TOKEN, next: '/admin/tickets' }).toString(),
    });
    expect(res.status).toBe(303);
    const on = proxy.served.at(-1)!;
    const cookie = String([res.headers['set-cookie']].flat()[0]).split(';')[0];
    const session = await requestFresh(`${proxy.url}/api/admin/session`, { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(proxy.served.at(-1)).not.toBe(on);
    return { cookie, csrf: session.json().csrf, on };
  }

  it('accepts a session made on one instance on the other', async () => {
    const { cookie } = await login();
    for (let i = 0; i < 2; i++) {
      const r = await requestFresh(`${proxy.url}/api/admin/session`, { headers: { cookie } });
      expect(r.status).toBe(200);
      expect(r.json().user).toBe('admin');
    }
    expect(new Set(proxy.served.slice(-2))).toEqual(new Set([0, 1]));
  });

  it('ends the session on both instances when it logs out on one', async () => {
    const { cookie, csrf } = await login();
    const out = await requestFresh(`${proxy.url}/admin/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(out.status).toBe(303);
    const loggedOutOn = proxy.served.at(-1)!;
    // The browser would drop the cookie; a copy of it (another tab, a stolen cookie) must not work anywhere.
    for (let i = 0; i < 2; i++) {
      const r = await requestFresh(`${proxy.url}/api/admin/session`, { headers: { cookie } });
      expect(r.status).toBe(401);
    }
    expect(proxy.served.slice(-2)).toContain(1 - loggedOutOn);
  });
});

describe('scheduled work', () => {
  /** Runs of a scheduled queue that finished since `since`. */
  async function runs(name: string, since: number): Promise<number> {
    const q = new Queue(name, { connection: { url: TEST_REDIS_URL }, prefix });
    try {
      const jobs = await q.getJobs(['completed', 'failed'], 0, -1);
      return jobs.filter((j) => (j.finishedOn ?? 0) >= since).length;
    } finally {
      await q.close();
    }
  }

  it('runs the overdue check (with retention) and the spike check once per period, not once per process', async () => {
    const since = Date.now();
    const windowMs = 8 * PERIOD_MS;
    await new Promise((r) => setTimeout(r, windowMs));
    for (const name of [OVERDUE_QUEUE, SPIKE_CHECK_QUEUE]) {
      const done = await runs(name, since);
      console.log(`${name}: ${done} runs in ${windowMs / PERIOD_MS} periods`);
      // Three processes run workers: once per process would be about 3 × 8 runs. (The lower bound only says it
      // runs at all, with room for a loaded machine.)
      expect(done, name).toBeGreaterThanOrEqual(windowMs / PERIOD_MS / 2);
      expect(done, name).toBeLessThanOrEqual(windowMs / PERIOD_MS + 1);
    }
  });
});

describe('knowledge base', () => {
  it('answers a knowledge-base change made through one instance on the other within 5 s', async () => {
    const a = instances.find((i) => i.name === 'a')!;
    const b = instances.find((i) => i.name === 'b')!;
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const ask = async (url: string) => {
      const res = await fetch(`${url}/api/admin/kb/try`, { method: 'POST', headers: admin, body: JSON.stringify({ text: '请问犬只年检去哪里办' }) });
      return (await res.json()) as { kind: string; faqId?: string; clarify?: boolean };
    };
    expect((await ask(b.url)).faqId).not.toBe('dog-annual-check');
    const entry = { id: 'dog-annual-check', topic: '宠物', questions: ['犬只年检去哪里办', '狗每年的年检在哪里做'], answer: '犬只年检请到居住地派出所办理。' };
    const res = await fetch(`${a.url}/api/admin/kb?confirm=true`, { method: 'POST', headers: admin, body: JSON.stringify(entry) });
    expect(res.status).toBe(201);
    // From the moment a has published the change (its eval run before publishing is a's own time).
    const changedAt = Date.now();
    await waitUntil(async () => (await ask(b.url)).faqId === 'dog-annual-check', 5000, 'the change answered on b');
    expect(Date.now() - changedAt).toBeLessThan(5000);
    // And the citizen on b gets the new answer.
    const citizen = new WebchatCitizen(b.url);
    const r = await citizen.say('请问犬只年检去哪里办');
    expect(r.body.replies[0].text).toBe(entry.answer);
  });
});

describe('platform pollers', () => {
  it('polls Telegram and Weibo from exactly one instance, and moves to the other within 60 s of a SIGKILL', { timeout: 120_000 }, async () => {
    // Both instances are up and have been for a while: only A polls.
    const before = { a: pollsOf('a'), b: pollsOf('b'), wa: weiboPollsOf('a'), wb: weiboPollsOf('b') };
    await new Promise((r) => setTimeout(r, 3000));
    expect(pollsOf('a')).toBeGreaterThan(before.a);
    expect(weiboPollsOf('a')).toBeGreaterThan(before.wa);
    expect({ telegram: pollsOf('b'), weibo: weiboPollsOf('b') }).toEqual({ telegram: 0, weibo: 0 });

    // A message through Telegram is taken once.
    telegram.pushUpdate({ message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: 4201, type: 'private' }, from: { id: 4201, is_bot: false, first_name: '张' }, text: '社保卡丢了怎么补办' } });
    await telegram.waitForSent((m) => m.chatId === '4201', 20_000);

    const a = instances.find((i) => i.name === 'a')!;
    const killedAt = Date.now();
    await killAndWait(a.proc, 'SIGKILL');
    await waitUntil(() => pollsOf('b') > 0, 60_000, 'telegram polling on b');
    const telegramMovedMs = Date.now() - killedAt;
    await waitUntil(() => weiboPollsOf('b') > 0, 60_000 - (Date.now() - killedAt), 'weibo polling on b');
    const weiboMovedMs = Date.now() - killedAt;
    console.log(`pollers moved after SIGKILL: telegram ${telegramMovedMs} ms, weibo ${weiboMovedMs} ms`);
    expect(Math.max(telegramMovedMs, weiboMovedMs)).toBeLessThan(60_000);

    // B now answers Telegram, once.
    telegram.pushUpdate({ message: { message_id: 2, date: Math.floor(Date.now() / 1000), chat: { id: 4202, type: 'private' }, from: { id: 4202, is_bot: false, first_name: '李' }, text: '社保卡丢了怎么补办' } });
    await telegram.waitForSent((m) => m.chatId === '4202', 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(telegram.sentTo(4202)).toHaveLength(1);
    expect(telegram.sentTo(4201)).toHaveLength(1);

    // Each instance logged taking each role once, not once per renewal; B never logged a loss.
    const lines = (p: Proc, msg: string) => p.output.join('').split('\n').filter((l) => l.includes(`"msg":"${msg}"`));
    const b = instances.find((i) => i.name === 'b')!;
    for (const p of [a.proc, b.proc]) expect(lines(p, 'leader lock acquired').map((l) => JSON.parse(l).role).sort()).toEqual(['telegram:poller', 'weibo:poller']);
    expect(lines(b.proc, 'leader lock lost: stopped at once')).toEqual([]);
  });
});
