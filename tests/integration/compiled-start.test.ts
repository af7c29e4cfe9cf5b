// `npm start` runs the compiled JavaScript with plain node: no tsx loader and no esbuild service in any of its
// processes, and the files that ship beside the code (widget, console assets, migrations, intents) are found
// from dist/ as they are from src/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { descendantsOf } from '../../bench/proc.js';
import { freePort, REPO_ROOT } from '../helpers/processes.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

describe('npm start', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let npm: ChildProcess;
  let url: string;
  const output: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Its own process group, so that the whole of `npm start` (npm, sh, node) is stopped together.
    npm = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      detached: true,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN: 'compiled-start-token-0123', DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniquePrefix('compiled'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm.stdout?.on('data', (d) => output.push(String(d)));
    npm.stderr?.on('data', (d) => output.push(String(d)));
    // The first build of a fresh checkout compiles everything (tens of seconds on a busy machine).
    await waitUntil(async () => output.join('').includes('Stop it with Ctrl-C.') || npm.exitCode !== null, 170_000, 'start summary').catch((err) => {
      throw new Error(`${err.message}; output:\n${output.join('')}`);
    });
    if (npm.exitCode !== null) throw new Error(`npm start exited ${npm.exitCode}:\n${output.join('')}`);
  }, 180_000);

  afterAll(async () => {
    if (npm?.pid && npm.exitCode === null) {
      const exited = new Promise((r) => npm.once('exit', r));
      process.kill(-npm.pid, 'SIGTERM');
      await exited;
    }
    await db?.drop();
  });

  it('runs the gateway from dist/ with plain node, with no tsx or esbuild process', () => {
    const processes = descendantsOf(npm.pid!).map((p) => ({ ...p, command: commandLineOf(p.pid) }));
    const gateway = processes.find((p) => /bin\/jiesu\.mjs start/.test(p.command));
    expect(gateway, JSON.stringify(processes)).toBeDefined();
    expect(processes.filter((p) => /tsx|esbuild/.test(`${p.comm} ${p.command}`))).toEqual([]);
    // The launcher loaded dist/: tsx would have said it was running the sources.
    expect(output.join('')).not.toMatch(/running the TypeScript sources/);
    const maps = readFileSync(`/proc/${gateway!.pid}/maps`, 'utf8');
    expect(maps).not.toMatch(/esbuild/);
  });

  it('finds the files shipped beside the code: the demo page and widget, the console assets, the database ready', async () => {
    for (const path of ['/', '/widget/widget.js', '/admin/static/common.js', '/readyz']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(200);
    }
  });
});
