// `jiesu start` as a user runs it, with embedded defaults (PGlite in DATA_DIR): a ticket survives SIGTERM and
// a fresh start, and shutdown is graceful (exit code 0).
import { expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnJiesu } from '../helpers/processes.js';
import { postJson, waitUntil } from '../helpers/webchat-client.js';
import { uniquePrefix } from '../helpers/databases.js';

it('keeps tickets in PGlite across a restart', { timeout: 180_000 }, async () => {
  const port = await freePort();
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'jiesu-start-')),
    ADMIN_TOKEN: 'restart-test-token-0123456789',
    QUEUE_PREFIX: uniquePrefix('start'),
    CONFIRM_COMPLAINTS: '0',
    DATABASE_URL: '',
    REDIS_URL: '',
  };
  const base = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
  const up = async () => {
    await waitUntil(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 60_000, 'gateway ready').catch((err) => {
      throw new Error(`${err.message}; gateway output:\n${gw.output.join('')}`);
    });
  };

  let gw = spawnJiesu(['start'], env);
  await up();
  // The first start says what it is doing, then one plain block (the token is set, so it is not shown).
  await waitUntil(async () => gw.output.join('').includes('Stop it with Ctrl-C.'), 10_000, 'start summary');
  const first = gw.output.join('');
  expect(first).toContain(`Creating the embedded ticket database in ${env.DATA_DIR}/pglite`);
  expect(first).toMatch(/Staff console +http:\/\/127\.0\.0\.1:\d+\/admin/);
  expect(first).toMatch(/Admin token +set by ADMIN_TOKEN/);
  expect(first).not.toContain(env.ADMIN_TOKEN);
  const r = await postJson(`${base}/api/webchat/messages`, { sessionId: 'restart-session', messageId: 'restart-m1', text: '丰台区卢沟桥街道的路灯坏了好几天了' });
  expect(r.body.status).toBe('queued');
  let number = '';
  await waitUntil(async () => {
    const list = (await (await fetch(`${base}/api/tickets`, { headers: auth })).json()) as any;
    number = list.items[0]?.number ?? '';
    return !!number;
  }, 20_000, 'ticket');
  const exited = new Promise<number | null>((res) => gw.once('exit', (code) => res(code)));
  gw.kill('SIGTERM');
  expect(await exited).toBe(0);

  gw = spawnJiesu(['start'], env);
  try {
    await up();
    await waitUntil(async () => gw.output.join('').includes('Stop it with Ctrl-C.'), 10_000, 'start summary');
    expect(gw.output.join('')).toContain(`Opening the embedded ticket database in ${env.DATA_DIR}/pglite`);
    const t = await fetch(`${base}/api/tickets/${number}`, { headers: auth });
    expect(t.status).toBe(200);
    expect(((await t.json()) as any).street).toBe('卢沟桥街道');
  } finally {
    const done = new Promise((res) => gw.once('exit', res));
    gw.kill('SIGTERM');
    await done;
  }
});
