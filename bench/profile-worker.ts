// Where a `jiesu worker`'s CPU goes: fills the tickets queue with N complaint jobs (shaped as the gateway makes
// them), starts one worker with V8's profiler on, waits until every job is a row, and prints self time by
// package and function plus the drain rate (profiler on, so slower than real). A tool, not a benchmark.
// `node bin/run-ts.mjs bench/profile-worker.ts [jobs]`
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Queue } from 'bullmq';
import { spawnJiesuWorker } from './children.js';
import { gatewayEnv, isolate, REDIS_URL } from './env.js';
import { cleanupAll } from './cleanup.js';
import { connectionOptions } from '../src/queue/redis.js';
import { DEFAULT_JOB_OPTIONS, QUEUE_NAMES } from '../src/queue/queues.js';
import { jobIdFor } from '../src/core/job-id.js';
import { complaintJob } from './complaint-job.js';
import { printProfile } from './profile-report.js';
import { sleep } from './stats.js';

const jobs = Number(process.argv[2] ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'jiesu-wprof-'));
const iso = await isolate('pw');
const queue = new Queue(QUEUE_NAMES.tickets, { connection: connectionOptions(REDIS_URL, 'producer'), prefix: iso.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
const db = new pg.Client({ connectionString: iso.databaseUrl });
try {
  const env = gatewayEnv(iso, { RUN_WORKERS: '1' });
  // The worker migrates the fresh database; wait for it to register before filling the queue.
  const worker = await spawnJiesuWorker(env, async () => (await queue.getWorkersCount()) > 0, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  worker.process.kill('SIGSTOP');
  for (let i = 0; i < jobs; i += 500) {
    const n = Math.min(500, jobs - i);
    await queue.addBulk(Array.from({ length: n }, (_, k) => {
      const data = complaintJob(i + k, iso.prefix);
      return { name: 'ticket', data, opts: { jobId: jobIdFor(data.message.id) } };
    }));
  }
  await db.connect();
  const t0 = Date.now();
  worker.process.kill('SIGCONT');
  let rows = 0;
  while (rows < jobs && Date.now() - t0 < 300_000) {
    await sleep(100);
    rows = (await db.query<{ n: number }>('select count(*)::int as n from tickets')).rows[0].n;
  }
  const s = (Date.now() - t0) / 1000;
  console.log(`${rows}/${jobs} rows in ${s.toFixed(1)} s: ${(rows / s).toFixed(0)} tickets/s with the profiler on`);
  await worker.stop(30_000);
} finally {
  await db.end().catch(() => {});
  await queue.close();
  await iso.release();
  await cleanupAll();
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile written');
printProfile(join(dir, file));
