// Where the gateway's CPU goes: runs one gateway under FAQ (or complaint) load with V8's sampling profiler
// on, then prints self time by package and by function. Not a benchmark (profiling slows everything down);
// a tool for finding what to make cheaper. `node bin/run-ts.mjs bench/profile.ts [faq|complaint] [seconds]
// [--no-workers | --worker-process]`: complaints run with the ticket workers inside the gateway (RUN_WORKERS=1)
// unless --no-workers, which leaves only the intake's own cost (the jobs wait in Redis and are deleted at the
// end), or --worker-process, which runs them in one `jiesu worker` as the bench's best placement does and
// profiles both processes.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { forkChild, spawnJiesuWorker, type Child } from './children.js';
import { connectionOptions } from '../src/queue/redis.js';
import { QUEUE_NAMES } from '../src/queue/queues.js';
import { call } from './ipc.js';
import { gatewayEnv, isolate, REDIS_URL, uniqueTag } from './env.js';
import { cleanupAll } from './cleanup.js';
import type { LoadResult } from './load-child.js';
import { printProfile } from './profile-report.js';

const mode = process.argv[2] === 'complaint' ? 'complaint' : 'faq';
const seconds = Number(process.argv[3] ?? 10);
const workerProcess = mode === 'complaint' && process.argv.includes('--worker-process');
const workers = mode === 'complaint' && !process.argv.includes('--no-workers') && !workerProcess;
const dir = mkdtempSync(join(tmpdir(), 'jiesu-prof-'));
const workerDir = mkdtempSync(join(tmpdir(), 'jiesu-wprof-'));
const iso = await isolate('pf');
/** The measured run, in µs of the monotonic clock V8's profile timestamps use too (start-up and warm-up left out). */
const window = { from: 0, to: Infinity };
try {
  const env = gatewayEnv(iso, { RUN_WORKERS: workers ? '1' : '0' });
  const gateway = await forkChild<{ url: string; pid: number }>('gateway-child.ts', { env, execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  let worker: Child<{ pid: number }> | undefined;
  if (workerProcess) {
    const queue = new Queue(QUEUE_NAMES.tickets, { connection: connectionOptions(REDIS_URL, 'producer'), prefix: iso.prefix });
    queue.on('error', () => {});
    try {
      worker = await spawnJiesuWorker(env, async () => (await queue.getWorkersCount()) > 0, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${workerDir}`] });
    } finally {
      await queue.close();
    }
  }
  const load = await forkChild<{ pid: number }>('load-child.ts');
  const spec = { url: gateway.info.url, connections: 50, complaintPercent: mode === 'faq' ? 0 : 100 };
  await call<LoadResult>(load.process, 'run', { ...spec, durationSec: 3, tag: uniqueTag('w') }, 60_000);
  window.from = Number(process.hrtime.bigint() / 1000n);
  const r = await call<LoadResult>(load.process, 'run', { ...spec, durationSec: seconds, tag: uniqueTag('p') }, (seconds + 60) * 1000);
  window.to = Number(process.hrtime.bigint() / 1000n);
  console.log(`${mode}: ${r.rps.toFixed(0)} req/s p99 ${r.latencyMs.p99} ms (profiler on)`);
  await load.stop();
  await worker?.stop(30_000);
  await gateway.stop(30_000);
} finally {
  await iso.release();
  await cleanupAll();
}

// CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (the others are loader threads).
const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().find((f, _i, all) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f) || f === all[0]);
if (!file) throw new Error('no profile written');
if (workerProcess) console.log('\n── the gateway ──');
printProfile(join(dir, file), { window });
const workerFile = readdirSync(workerDir).find((f) => f.endsWith('.cpuprofile'));
if (workerProcess && workerFile) {
  console.log('\n── the `jiesu worker` (whole run: its clock is its own) ──');
  printProfile(join(workerDir, workerFile));
}
