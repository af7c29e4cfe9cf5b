// Regression (issue 16 §7): `jiesu report` pointed at a DATA_DIR without a database silently created an empty one
// and printed zeros; and beside a gateway running on PGlite it opened and migrated the same directory, which
// PGlite (single-process) cannot share. Now it says where it looked and fails, creating nothing; it refuses a
// directory a live gateway holds, naming the process; and it takes over the lock a killed gateway left.
import { expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, killAndWait, spawnJiesu } from '../helpers/processes.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';

/** Runs the CLI to its end: exit code and everything it printed. */
async function jiesu(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawnJiesu(args, env);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  return { code, output: child.output.join('') };
}

const baseEnv = (dataDir: string) => ({ DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniquePrefix('report') });

it('says where it looked and fails when there is no database, creating nothing', { timeout: 60_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jiesu-report-empty-'));
  const r = await jiesu(['report', 'daily'], baseEnv(dataDir));
  expect(r.code).toBe(1);
  expect(r.output).toContain(`no PGlite database in ${join(dataDir, 'pglite')}`);
  expect(r.output).toContain('DATABASE_URL');
  expect(readdirSync(dataDir)).toEqual([]);
});

it('refuses a PGlite directory a running gateway holds, and takes over the lock of a killed one', { timeout: 180_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jiesu-report-busy-'));
  const port = await freePort();
  const env = { ...baseEnv(dataDir), PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN: 'report-test-token-0123456789' };
  let gw: ChildProcess & { output: string[] } = spawnJiesu(['start'], env);
  try {
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200, 90_000, 'gateway ready').catch((err: Error) => {
      throw new Error(`${err.message}; gateway output:\n${gw.output.join('')}`);
    });
    const lockPath = join(dataDir, 'pglite.lock');
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: gw.pid, owner: 'jiesu gateway' });

    const refused = await jiesu(['report', 'daily', '--format', 'json'], env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`in use by process ${gw.pid} (jiesu gateway)`);
    expect(refused.output).toContain('/api/admin/reports/daily.json');
    // The gateway is unharmed.
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    // Killed, the gateway leaves its lock behind; its process is gone, so the report takes it over.
    await killAndWait(gw);
    expect(existsSync(lockPath)).toBe(true);
    const report = await jiesu(['report', 'daily', '--format', 'json'], env);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.output)).toMatchObject({ meta: expect.anything() });
    expect(existsSync(lockPath)).toBe(false);
  } finally {
    await killAndWait(gw);
  }
});
