// Nothing acknowledged is lost, nothing is doubled: 10,000 complaints through the web chat API and the Telegram
// webhook while, at random moments, a worker and the gateway are SIGKILLed and restarted, Redis is SIGKILLed
// and restarted (append-only file, fsync always), and PostgreSQL is stopped for 10 s. Every message is retried
// by its sender until acknowledged, as the widget and Telegram do; at the end every acknowledged message is
// exactly one ticket.
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import type { ChildProcess } from 'node:child_process';
import { PrivateRedis, freePort, killAndWait, spawnJiesu } from '../helpers/processes.js';
import { PrivatePostgres } from '../helpers/private-postgres.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { postJson, waitUntil } from '../helpers/webchat-client.js';

const TOTAL = Number(process.env.CHAOS_MESSAGES ?? 10_000);
const CONCURRENCY = 24;
const SECRET = 'chaos-webhook-secret-0123456789';

let redis: PrivateRedis;
let postgres: PrivatePostgres;
let telegram: FakeTelegramApi;
let env: Record<string, string>;
let base = '';
let gateway: ChildProcess & { output: string[] };
const workers: (ChildProcess & { output: string[] })[] = [];

beforeAll(async () => {
  redis = await PrivateRedis.start({ appendonly: true });
  postgres = await PrivatePostgres.create();
  telegram = await new FakeTelegramApi().start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: redis.url,
    DATABASE_URL: postgres.url,
    ADMIN_TOKEN: 'chaos-admin-token-0123456789',
    QUEUE_PREFIX: 'chaos',
    RUN_WORKERS: '0',
    CONFIRM_COMPLAINTS: '0',
    SENDER_LIMIT_PER_MINUTE: '100000000',
    IP_LIMIT_PER_MINUTE: '100000000',
    WORKER_LOCK_MS: '3000',
    TICKET_CONCURRENCY: '32',
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_WEBHOOK_URL: 'https://hotline.example.gov.cn/api/channels/telegram/webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    LOG_LEVEL: 'error',
  };
  gateway = spawnJiesu(['start'], env);
  workers.push(spawnJiesu(['worker'], env), spawnJiesu(['worker'], env));
  await ready();
}, 300_000);

afterAll(async () => {
  await Promise.allSettled([gateway, ...workers].map((p) => killAndWait(p, 'SIGKILL')));
  await telegram?.stop();
  await redis?.kill();
  await postgres?.stop('fast').catch(() => {});
});

async function ready(): Promise<void> {
  await waitUntil(async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.status === 200, 180_000, 'gateway up').catch((e) => {
    throw new Error(`${e.message}\n${gateway.output.join('').slice(-3000)}`);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One complaint, retried like a real sender until the gateway acknowledges it. */
async function deliver(i: number): Promise<{ id: string; attempts: number }> {
  const viaTelegram = i % 2 === 1;
  const chat = 700_000 + (i % 500);
  const text = `朝阳区望京街道${i % 7 === 0 ? '路灯' : '井盖'}坏了好几天了，编号${i}`;
  const id = viaTelegram ? `telegram:${chat}:${i}` : `webchat:chaos-session-${i % 500}/chaos-msg-${i}`;
  for (let attempt = 1; ; attempt++) {
    try {
      if (viaTelegram) {
        const update = { update_id: 100_000_000 + i, message: { message_id: i, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: '市民' }, text } };
        const res = await fetch(`${base}/api/channels/telegram/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify(update),
          signal: AbortSignal.timeout(10_000),
        });
        if (res.status === 200) return { id, attempts: attempt };
      } else {
        const r = await postJson(`${base}/api/webchat/messages`, { sessionId: `chaos-session-${i % 500}`, messageId: `chaos-msg-${i}`, text });
        if (r.status === 200 && r.body.status === 'queued') return { id, attempts: attempt };
      }
    } catch {
      // connection refused or reset: the gateway is down; retry
    }
    await sleep(Math.min(2000, 100 * attempt));
  }
}

it(`every acknowledged complaint of ${TOTAL} becomes exactly one ticket through kills and outages`, { timeout: 900_000 }, async () => {
  const acked = new Set<string>();
  let retried = 0;
  let next = 0;
  let sending = true;
  const senders = Array.from({ length: CONCURRENCY }, async () => {
    while (next < TOTAL) {
      const i = next++;
      const r = await deliver(i);
      acked.add(r.id);
      if (r.attempts > 1) retried++;
    }
  });

  const events: string[] = [];
  const at = (label: string) => events.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${label} (acked ${acked.size})`);
  const t0 = Date.now();
  const progress = (share: number) => waitUntil(() => acked.size >= TOTAL * share || !sending, 600_000, `progress ${share}`);
  const chaos = (async () => {
    await progress(0.1);
    at('SIGKILL worker 1');
    await killAndWait(workers[0], 'SIGKILL');
    workers[0] = spawnJiesu(['worker'], env);

    await progress(0.2);
    at('SIGKILL gateway');
    await killAndWait(gateway, 'SIGKILL');
    gateway = spawnJiesu(['start'], env);

    await progress(0.35);
    at('SIGKILL redis');
    await redis.kill('SIGKILL');
    await sleep(1000);
    await redis.start({ appendonly: true });
    at('redis back');

    await progress(0.5);
    at('PostgreSQL stopped');
    await postgres.stop('immediate');
    await sleep(10_000);
    await postgres.start();
    at('PostgreSQL back');

    await progress(0.65);
    at('SIGKILL worker 2 and gateway');
    await Promise.all([killAndWait(workers[1], 'SIGKILL'), killAndWait(gateway, 'SIGKILL')]);
    workers[1] = spawnJiesu(['worker'], env);
    gateway = spawnJiesu(['start'], env);

    await progress(0.8);
    at('SIGKILL worker 1 again');
    await killAndWait(workers[0], 'SIGKILL');
    workers[0] = spawnJiesu(['worker'], env);
  })();

  await Promise.all(senders);
  sending = false;
  await chaos;
  at('all acknowledged');
  expect(acked.size).toBe(TOTAL);

  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const count = async () => Number((await client.query('select count(*)::int as n from tickets')).rows[0].n);
    await waitUntil(async () => (await count()) >= TOTAL, 300_000, 'every ticket row');
    await sleep(2000);
    at('all tickets written');
    const rows = (await client.query('select source_message_id, number from tickets')).rows as { source_message_id: string; number: string }[];
    const sources = rows.map((r) => r.source_message_id);
    const missing = [...acked].filter((id) => !sources.includes(id));
    const extra = sources.filter((id) => !acked.has(id));
    console.log(
      `[chaos] sent ${TOTAL}, acknowledged ${acked.size} (${retried} needed retries), tickets ${rows.length}, ` +
        `distinct sources ${new Set(sources).size}, distinct numbers ${new Set(rows.map((r) => r.number)).size}, ` +
        `missing ${missing.length}, extra ${extra.length}\n[chaos] ${events.join('\n[chaos] ')}`,
    );
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
    expect(rows.length).toBe(TOTAL);
    expect(new Set(rows.map((r) => r.number)).size).toBe(TOTAL);
  } finally {
    await client.end();
  }
});
