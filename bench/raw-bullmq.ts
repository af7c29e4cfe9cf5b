// Raw BullMQ, the ceiling for complaints: the same Redis, `queue.add` with the gateway's job options from one
// process (`inFlight` adds at a time, like the API's connections), a no-op worker in another with the ticket
// worker's concurrency — both running at once, as intake and workers do. Completions are counted every
// 100 ms exactly as ticket rows are, so the two figures are comparable.
import { Queue } from 'bullmq';
import { forkChild, type Child } from './children.js';
import { connectionOptions } from '../src/queue/redis.js';
import { call } from './ipc.js';
import { isolate, REDIS_URL } from './env.js';
import { cpuSecondsOf } from './proc.js';
import { sleep } from './stats.js';

export interface RawBullmqResult {
  jobs: number;
  inFlight: number;
  concurrency: number;
  /** queue.add calls per second (the producer alone). */
  addPerSecond: number;
  /** Jobs completed per second from the first add to the last completion. */
  perSecond: number;
  cpuSeconds: Record<string, number>;
  stalled: boolean;
}

export async function runRawBullmq(o: { jobs: number; inFlight: number; concurrency: number; stallMs: number; redisPid?: number; log(line: string): void }): Promise<RawBullmqResult> {
  const iso = await isolate('raw', { database: false });
  const env = { ...process.env, REDIS_URL, QUEUE_PREFIX: iso.prefix };
  const children: Child<{ pid: number }>[] = [];
  // Counted from here, not by the producer: its event loop is busy adding and would answer late.
  const queue = new Queue('raw', { connection: connectionOptions(REDIS_URL, 'producer'), prefix: iso.prefix });
  queue.on('error', () => {});
  try {
    const worker = await forkChild<{ pid: number }>('raw-bullmq-child.ts', { env });
    children.push(worker);
    const producer = await forkChild<{ pid: number }>('raw-bullmq-child.ts', { env });
    children.push(producer);
    await call(worker.process, 'startWorker', { concurrency: o.concurrency, lockMs: 30_000 });
    const pids: Record<string, number> = { producer: producer.info.pid, worker: worker.info.pid, ...(o.redisPid ? { redis: o.redisPid } : {}) };
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSecondsOf(pid) ?? NaN]));

    const t0 = Date.now();
    let produced: { added: number; startedAt: number; finishedAt: number; perSecond: number } | undefined;
    let produceError: unknown;
    const producing = call<typeof produced>(producer.process, 'produce', { jobs: o.jobs, inFlight: o.inFlight, tag: iso.prefix }, Math.max(120_000, o.jobs * 20)).then(
      (r) => (produced = r),
      (err) => (produceError = err),
    );
    let last = -1;
    let lastChange = Date.now();
    let doneAt = 0;
    let stalled = false;
    for (;;) {
      const c = await queue.getJobCounts('completed', 'failed');
      const now = Date.now();
      if (c.completed !== last) lastChange = now;
      last = c.completed;
      if (produceError) throw produceError;
      if (produced && c.completed + c.failed >= produced.added) {
        doneAt = now;
        break;
      }
      if (now - lastChange > o.stallMs) {
        stalled = true;
        doneAt = now;
        break;
      }
      await sleep(100);
    }
    await producing;
    const p = produced!;
    const cpuSeconds: Record<string, number> = {};
    for (const [k, pid] of Object.entries(pids)) cpuSeconds[k] = (cpuSecondsOf(pid) ?? NaN) - cpuBefore[k];
    const r: RawBullmqResult = {
      jobs: o.jobs,
      inFlight: o.inFlight,
      concurrency: o.concurrency,
      addPerSecond: p.perSecond,
      perSecond: (last * 1000) / Math.max(1, doneAt - Math.min(t0, p.startedAt)),
      cpuSeconds,
      stalled,
    };
    o.log(`  raw BullMQ: ${p.added} adds at ${r.addPerSecond.toFixed(0)}/s, ${last} completed at ${r.perSecond.toFixed(0)}/s end to end${stalled ? ' — STALLED' : ''}`);
    return r;
  } finally {
    await queue.close().catch(() => {});
    await Promise.all(children.map((c) => c.stop()));
    await iso.release();
  }
}
