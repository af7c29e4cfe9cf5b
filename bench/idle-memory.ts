// Idle memory and start time of `jiesu start`, run the old way (TypeScript through tsx) and compiled (`node
// dist/src/cli.js`, what `npm start` runs), on PostgreSQL and on the embedded PGlite (first start, which
// creates the database, and a restart on it). Prints one table; asserts nothing.
//
//   node bin/run-ts.mjs bench/idle-memory.ts [--settle-s 10] [--database-url postgres://…] [--only tsx|compiled]
//
// Start time: from spawning the process to its start summary ("Stop it with Ctrl-C."). Idle RSS: the process
// and every process under it (tsx's esbuild service included) after `--settle-s` seconds of no traffic.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { REPO_ROOT } from './children.js';
import { descendantsOf, rssMbOf } from './proc.js';

const { values } = parseArgs({
  options: {
    'settle-s': { type: 'string', default: '10' },
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/jiesu_bench_idle' },
    'redis-url': { type: 'string', default: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    only: { type: 'string' },
  },
});
const settleMs = Number(values['settle-s']) * 1000;

type Mode = 'tsx' | 'compiled';
const COMMAND: Record<Mode, string[]> = {
  tsx: ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli.ts'), 'start'],
  compiled: [join(REPO_ROOT, 'dist', 'src', 'cli.js'), 'start'],
};

interface Figures {
  startMs: number;
  rssMb: number;
  /** Command names of the processes under the gateway (esbuild under tsx; a spawned redis-server). */
  children: string[];
}

async function measure(mode: Mode, env: Record<string, string>): Promise<Figures> {
  const started = performance.now();
  const child = spawn(process.execPath, COMMAND[mode], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ADMIN_TOKEN: 'bench-idle-memory-token', REDIS_URL: values['redis-url'], QUEUE_PREFIX: `bench_idle_${process.pid}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${mode}: no start summary in 180 s:\n${output}`)), 180_000);
      child.stdout.on('data', () => output.includes('Stop it with Ctrl-C.') && (clearTimeout(timer), resolve()));
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${mode}: exited ${code}:\n${output}`))));
    });
    const startMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, settleMs));
    const below = descendantsOf(child.pid!);
    const rssMb = [child.pid!, ...below.map((p) => p.pid)].reduce((sum, pid) => sum + (rssMbOf(pid) ?? 0), 0);
    return { startMs, rssMb, children: below.map((p) => p.comm) };
  } finally {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(kill);
  }
}

async function freshPostgres(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`drop database if exists "${name}"`);
  await client.query(`create database "${name}"`);
  await client.end();
}

const modes: Mode[] = values.only ? [values.only as Mode] : ['tsx', 'compiled'];
if (modes.includes('compiled')) {
  const build = spawnSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
}

const rows: { mode: Mode; store: string; figures: Figures }[] = [];
for (const mode of modes) {
  await freshPostgres(values['database-url']);
  rows.push({ mode, store: 'PostgreSQL', figures: await measure(mode, { DATABASE_URL: values['database-url'] }) });
  const dataDir = mkdtempSync(join(tmpdir(), 'jiesu-idle-'));
  try {
    rows.push({ mode, store: 'PGlite, first start', figures: await measure(mode, { DATA_DIR: dataDir }) });
    rows.push({ mode, store: 'PGlite, restart', figures: await measure(mode, { DATA_DIR: dataDir }) });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`\nIdle gateway (\`jiesu start\`, workers in process), RSS after ${settleMs / 1000} s idle, process tree:\n`);
console.log('| run | store | start (s) | idle RSS (MB) | child processes |');
console.log('| --- | --- | ---: | ---: | --- |');
for (const { mode, store, figures } of rows) {
  console.log(`| ${mode} | ${store} | ${(figures.startMs / 1000).toFixed(1)} | ${figures.rssMb.toFixed(0)} | ${figures.children.join(', ') || '—'} |`);
}
