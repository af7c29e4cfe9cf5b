// What a person sees when `jiesu start` runs: a token made for the run is shown once, after the start
// succeeded, and works; a start that cannot succeed says why in a plain sentence, exits 2 like every
// configuration error, and shows no token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, killAndWait, spawnJiesu } from '../helpers/processes.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';

async function exitOf(child: ReturnType<typeof spawnJiesu>): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((res) => child.once('exit', (code) => res(code)));
}

describe('jiesu start output', () => {
  let dir: string;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jiesu-start-out-'));
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a token made for this run once it is up, and the token works', async () => {
    const port = await freePort();
    const gw = spawnJiesu(['start'], { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, ADMIN_TOKEN: '', DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniquePrefix('startout') });
    try {
      await waitUntil(async () => gw.output.join('').includes('Stop it with Ctrl-C.'), 60_000, 'start summary').catch((err) => {
        throw new Error(`${err.message}; output:\n${gw.output.join('')}`);
      });
      const out = gw.output.join('');
      const token = /Admin token +(\S+) +\(made for this run; set ADMIN_TOKEN to keep one\)/.exec(out)?.[1];
      expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(out).toMatch(/Redis +redis:\/\/127\.0\.0\.1:6379\/? \(from REDIS_URL, keys under jiesu_startout_/);
      expect(out).toMatch(/Tickets +PostgreSQL postgres:/);
      expect(out).not.toMatch(/"adminToken"/);
      const res = await fetch(`http://127.0.0.1:${port}/api/tickets`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    } finally {
      await killAndWait(gw, 'SIGTERM');
    }
  });

  it('an unreachable REDIS_URL: says what was tried, exits 2, shows no token', async () => {
    const gw = spawnJiesu(['start'], { PORT: String(await freePort()), DATA_DIR: dir, ADMIN_TOKEN: '', DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(await exitOf(gw)).toBe(2);
    const out = gw.output.join('');
    expect(out).toMatch(/REDIS_URL redis:\/\/127\.0\.0\.1:\d+\/? is not answering \(tried for 3 s: connect ECONNREFUSED/);
    expect(out).not.toMatch(/Admin token|adminToken/);
  });

  it('a half-set channel stops the start before anything is opened', async () => {
    const gw = spawnJiesu(['start'], { PORT: String(await freePort()), DATA_DIR: dir, TELEGRAM_BOT_TOKEN: 'not-a-token', DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL });
    expect(await exitOf(gw)).toBe(2);
    const out = gw.output.join('');
    expect(out).toMatch(/invalid Telegram configuration:\n {2}TELEGRAM_BOT_TOKEN: must look like/);
    expect(out).not.toMatch(/Connecting to Redis|ticket database/);
  });

  it('a bad number is named in plain words', async () => {
    const gw = spawnJiesu(['start'], { PORT: 'abc', DATA_DIR: dir });
    expect(await exitOf(gw)).toBe(2);
    expect(gw.output.join('')).toContain('PORT: must be a number, got "abc"');
  });
});
