// Failed jobs carry citizens' messages (names, phone numbers): BullMQ keeps them for inspection under the
// default job options for a week and then removes them. Seen on a real queue: a failed job whose failure is
// dated eight days back is gone once the next job fails; one failed a day ago stays.
import { afterAll, describe, expect, it } from 'vitest';
import { Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { DEFAULT_JOB_OPTIONS, FAILED_JOB_AGE_S } from '../../src/queue/queues.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';

const prefix = uniquePrefix('failed-age');
const connection = { url: TEST_REDIS_URL, maxRetriesPerRequest: null };
const queue = new Queue('tickets', { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
const redis = new Redis(TEST_REDIS_URL);
let worker: Worker<unknown, unknown> | undefined;

afterAll(async () => {
  await worker?.close();
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  redis.disconnect();
});

describe('failed jobs', () => {
  it('are kept at most 7 days', async () => {
    expect(FAILED_JOB_AGE_S).toBe(7 * 24 * 3600);
    const events = new QueueEvents('tickets', { connection, prefix });
    await events.waitUntilReady();
    worker = new Worker<unknown, unknown>('tickets', async () => {
      throw new UnrecoverableError('permanent failure');
    }, { connection, prefix });
    const failOne = async (id: string) => {
      const job = await queue.add('ticket', { text: '联系电话13812345678' }, { jobId: id });
      await job.waitUntilFinished(events).catch(() => {});
    };
    await failOne('old');
    await failOne('recent');
    // Date the two failures 8 days and 1 day back (the failed set is scored by finishing time).
    const failedKey = `${prefix}:tickets:failed`;
    for (const [id, days] of [['old', 8], ['recent', 1]] as const) {
      const at = Date.now() - days * 24 * 3600_000;
      await redis.zadd(failedKey, at, id);
      await redis.hset(`${prefix}:tickets:${id}`, 'finishedOn', String(at));
    }
    await failOne('trigger');
    expect(await queue.getJob('old')).toBeUndefined();
    expect(await queue.getJob('recent')).toBeDefined();
    expect(await queue.getJob('trigger')).toBeDefined();
    await events.close();
  });
});
