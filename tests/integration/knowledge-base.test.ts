// The knowledge base in the database (issue 19 §2–3): seeded from KB_PATH once, every change a new version,
// measured on the eval cases before it is published (a regression needs confirm), restorable, kept across a
// restart; the review queue fed by what the bot did not handle well (not by button presses), and what an
// operator does there live at once; ratings per entry; category corrections become training data.
import type { RedisFaqStats } from '../../src/queue/faq-stats.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { DEFAULT_KB_PATH } from '../../src/nlu/index.js';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';
import { TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { WebchatCitizen, waitUntil } from '../helpers/webchat-client.js';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let gw: Gateway;
let dir: string;
const prefix = uniquePrefix('kb');
const env = (): Record<string, string> => ({
  PORT: '0',
  HOST: '127.0.0.1',
  REDIS_URL: TEST_REDIS_URL,
  DATABASE_URL: db.url,
  ADMIN_TOKEN: TEST_ADMIN_TOKEN,
  QUEUE_PREFIX: prefix,
  LOG_LEVEL: 'silent',
  KB_PATH: join(dir, 'faq.yaml'),
  KB_EVAL_CASES: join(dir, 'cases.jsonl'),
  CONFIRM_COMPLAINTS: '1',
});

async function start(): Promise<Gateway> {
  const e = env();
  const config = loadConfig(e);
  return startGateway(config, createLogger(config.logLevel));
}

function call(path: string, init: { method?: string; json?: unknown } = {}): Promise<Response> {
  return fetch(`${gw.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
}
const get = async (path: string) => (await call(path)).json();

const CASES = [
  { text: '社保卡丢了怎么挂失', expect: 'social-card-loss' },
  { text: '社保卡不见了要去哪里补办', expect: 'social-card-loss' },
  { text: '我家楼下垃圾三天没人清运，臭气熏天，在朝阳区三里屯街道', expect: 'ticket', category: 'sanitation', tier: '7d', district: '朝阳区', street: '三里屯街道' },
];

beforeAll(async () => {
  db = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'kb-'));
  copyFileSync(DEFAULT_KB_PATH, join(dir, 'faq.yaml'));
  writeFileSync(join(dir, 'cases.jsonl'), CASES.map((c) => JSON.stringify(c)).join('\n'));
  gw = await start();
}, 120_000);

afterAll(async () => {
  await gw?.stop();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('knowledge base in the database', () => {
  it('is seeded from KB_PATH once, as version 1', async () => {
    const { versions } = await get('/api/admin/kb/versions');
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version: 1, action: 'seed', actor: 'system' });
    expect((await get('/api/admin/kb')).size).toBe(gw.nlu.size);
  });

  it('refuses a change that breaks eval cases with 409 and the diff, publishes it when confirmed, and restores an old version', async () => {
    const refused = await call('/api/admin/kb/social-card-loss', { method: 'DELETE' });
    expect(refused.status).toBe(409);
    const body = await refused.json();
    expect(body.error).toBe('regression');
    expect(body.diff.regression).toBe(true);
    expect(body.diff.before.faqTop1).toBe(1);
    expect(body.diff.after.faqTop1).toBeLessThan(1);
    expect(body.diff.flipped.map((f: { text: string; change: string }) => [f.text, f.change])).toEqual([
      ['社保卡丢了怎么挂失', 'broken'],
      ['社保卡不见了要去哪里补办', 'broken'],
    ]);
    expect(gw.nlu.entry('social-card-loss')).toBeDefined();
    expect((await get('/api/admin/kb/versions')).versions).toHaveLength(1);

    const confirmed = await call('/api/admin/kb/social-card-loss?confirm=true', { method: 'DELETE' });
    expect(confirmed.status).toBe(200);
    expect((await confirmed.json()).version).toBe(2);
    expect(gw.nlu.entry('social-card-loss')).toBeUndefined();

    const restored = await call('/api/admin/kb/versions/1/restore', { method: 'POST' });
    expect(restored.status).toBe(200);
    const r = await restored.json();
    expect(r).toMatchObject({ version: 3, restored: 1 });
    expect(r.diff.flipped.every((f: { change: string }) => f.change === 'fixed')).toBe(true);
    expect(gw.nlu.entry('social-card-loss')).toBeDefined();
    const { versions } = await get('/api/admin/kb/versions');
    expect(versions.map((v: { action: string }) => v.action)).toEqual(['restore', 'delete', 'seed']);
    expect(versions[0].actor).toBe('operator:admin');
    expect((await call('/api/admin/kb/versions/99/restore', { method: 'POST' })).status).toBe(404);
    const exported = await (await call('/api/admin/kb/export.yaml?version=2')).text();
    expect(exported).toMatch(/^# knowledge base version 2, delete by operator:admin/);
    expect(exported).not.toContain('social-card-loss');
  });

  it('records a clarified question for review, but not a button press or a typed 确认 at the confirmation step', async () => {
    const citizen = new WebchatCitizen(gw.url);
    const clarify = await citizen.say('请问狗证怎么办理');
    expect(clarify.body.replies.at(-1).quickReplies.some((q: { payload: string }) => q.payload.startsWith('faq:'))).toBe(true);
    const complaint = new WebchatCitizen(gw.url);
    await complaint.say('我家楼下垃圾三天没人清运，臭气熏天，在朝阳区三里屯街道');
    const confirmed = await complaint.say('确认', undefined, { action: 'confirm:yes' });
    expect(confirmed.body.replies[0].kind).toBe('ack');
    const typed = new WebchatCitizen(gw.url);
    await typed.say('小区门口的垃圾桶满了一个星期没人清理，在朝阳区三里屯街道');
    await typed.say('确认');
    await waitUntil(async () => (await get('/api/admin/review')).items.some((i: { text: string }) => i.text === '请问狗证怎么办理'), 5000, 'recorded');
    const { items } = await get('/api/admin/review');
    expect(items.find((i: { text: string }) => i.text === '请问狗证怎么办理')).toMatchObject({ kind: 'clarified' });
    expect(items.filter((i: { text: string }) => i.text === '确认')).toEqual([]);
  });

  it('makes an entry of a review item, live at once, and hides dealt-with items', async () => {
    const item = (await get('/api/admin/review')).items.find((i: { text: string }) => i.text === '请问狗证怎么办理');
    const created = await call('/api/admin/review/create', {
      method: 'POST',
      json: { key: item.key, text: item.text, entry: { id: 'dog-license', topic: '宠物', answer: '养犬登记请到居住地派出所办理，携带犬只免疫证明。', questions: ['养狗要办什么证'] } },
    });
    expect(created.status).toBe(201);
    const d = gw.nlu.decide('请问狗证怎么办理');
    expect(d).toMatchObject({ kind: 'faq', faqId: 'dog-license' });
    expect(d.clarify).toBeFalsy();
    expect((await get('/api/admin/review')).items.map((i: { key: string }) => i.key)).not.toContain(item.key);
    expect((await call('/api/admin/review/dismiss', { method: 'POST', json: { key: 'not-a-key' } })).status).toBe(400);
    expect((await call('/api/admin/review/attach', { method: 'POST', json: { key: item.key, text: '狗证', faqId: 'no-such-entry' } })).status).toBe(404);
  });

  it('counts how often an entry was given and rated, and queues the question rated 没解决', async () => {
    const citizen = new WebchatCitizen(gw.url);
    const answered = await citizen.say('社保卡丢了怎么挂失');
    expect(answered.body.replies[0]).toMatchObject({ kind: 'answer', faqId: 'social-card-loss' });
    await citizen.say('没解决', undefined, { action: 'fb:unsolved' });
    await citizen.say('没解决', undefined, { action: 'fb:unsolved' }); // a second press rates nothing
    await (gw.intake['deps'].faqStats as RedisFaqStats | undefined)?.flush();
    const stats = await get('/api/admin/kb/stats');
    expect(stats.entries.find((e: { id: string }) => e.id === 'social-card-loss')).toMatchObject({ given: 1, helpful: 0, unsolved: 1, unsolvedRate: 1 });
    expect(stats.worst[0].id).toBe('social-card-loss');
    const { items } = await get('/api/admin/review');
    expect(items.find((i: { kind: string }) => i.kind === 'unsolved')).toMatchObject({ text: '社保卡丢了怎么挂失', faqId: 'social-card-loss' });
  });

  it('takes a category correction as training data for the model at once', async () => {
    const citizen = new WebchatCitizen(gw.url);
    await citizen.say('单位拖欠我三个月工资不给，在朝阳区三里屯街道', undefined, {});
    await citizen.say('确认', undefined, { action: 'confirm:yes' });
    let number = '';
    await waitUntil(async () => {
      const list = await (await call('/api/tickets?limit=50')).json();
      number = list.items?.find((t: { text: string }) => t.text.includes('拖欠我三个月工资'))?.number ?? '';
      return Boolean(number);
    }, 20_000, 'ticket stored');
    const trained: { text: string; category: string }[][] = [];
    const train = gw.nlu.trainCategories.bind(gw.nlu);
    gw.nlu.trainCategories = (examples) => {
      trained.push(examples);
      train(examples);
    };
    expect((await call(`/api/admin/tickets/${number}/category`, { method: 'POST', json: { category: 'nope' } })).status).toBe(400);
    const res = await call(`/api/admin/tickets/${number}/category`, { method: 'POST', json: { category: 'sanitation' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ category: 'sanitation', changed: true });
    expect(trained).toEqual([[{ text: expect.stringContaining('拖欠我三个月工资'), category: 'sanitation' }]]);
    expect((await get('/api/admin/review')).items.find((i: { kind: string }) => i.kind === 'recategorized')).toMatchObject({ toCategory: 'sanitation', ticket: number });
    const again = await call(`/api/admin/tickets/${number}/category`, { method: 'POST', json: { category: 'sanitation' } });
    expect(await again.json()).toMatchObject({ changed: false });
    expect(trained).toHaveLength(1);
  });

  it('keeps every version across a restart and serves the newest', async () => {
    await gw.stop();
    gw = await start();
    expect(gw.nlu.entry('dog-license')).toBeDefined();
    const { versions } = await get('/api/admin/kb/versions');
    expect(versions[0].action).toBe('create');
    expect(versions.at(-1).action).toBe('seed');
  });
});
