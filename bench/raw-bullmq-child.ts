// The baseline for complaints: plain BullMQ on the same Redis — `queue.add` with the gateway's job options and
// a job of the same size, and a worker whose processor does nothing — with the same concurrency settings as
// the real ticket path. Role `worker` consumes; role `producer` adds jobs, `inFlight` at a time (like the
// API's 50 connections each waiting for its add).
import { Queue, Worker } from 'bullmq';
import { connectionOptions } from '../src/queue/redis.js';
import { DEFAULT_JOB_OPTIONS, workerOptions } from '../src/queue/queues.js';
import { jobIdFor } from '../src/core/job-id.js';
import { announce, serve } from './ipc.js';
import { complaintJob } from './complaint-job.js';

const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const QUEUE = 'raw';

let worker: Worker | undefined;
let queue: Queue | undefined;

async function startWorker({ concurrency, lockMs }: { concurrency: number; lockMs: number }): Promise<true> {
  worker = new Worker(QUEUE, async () => undefined, { connection: connectionOptions(redisUrl, 'worker'), prefix, concurrency, ...workerOptions(lockMs) });
  worker.on('error', () => {});
  await worker.waitUntilReady();
  return true;
}

async function produce({ jobs, inFlight, tag }: { jobs: number; inFlight: number; tag: string }) {
  queue ??= new Queue(QUEUE, { connection: connectionOptions(redisUrl, 'producer'), prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  queue.on('error', () => {});
  await queue.waitUntilReady();
  let next = 0;
  let failed = 0;
  const startedAt = Date.now();
  const lane = async () => {
    while (next < jobs) {
      const i = next++;
      try {
        await queue!.add('ticket', complaintJob(i, 'raw'), { jobId: jobIdFor(`webchat:${tag}-${i}/m-${i}`) });
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const finishedAt = Date.now();
  return { added: jobs - failed, failed, startedAt, finishedAt, perSecond: ((jobs - failed) * 1000) / (finishedAt - startedAt) };
}

const close = async () => {
  await worker?.close().catch(() => {});
  await queue?.close().catch(() => {});
};

serve(
  {
    startWorker: (o: { concurrency: number; lockMs: number }) => startWorker(o),
    produce: (o: { jobs: number; inFlight: number; tag: string }) => produce(o),
    stop: async () => {
      await close();
      setImmediate(() => process.exit(0));
      return true;
    },
  },
  close,
);
announce({ pid: process.pid });
