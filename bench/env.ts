// Fresh, isolated resources for each measured system: a new PostgreSQL database, a unique Redis key prefix,
// and the environment a gateway or `jiesu worker` gets. Each is registered for cleanup as it is created.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTestDatabase, TEST_REDIS_URL } from '../tests/helpers/databases.js';
import { deferCleanup } from './cleanup.js';
import { BENCH_METRICS_TOKEN } from './prometheus.js';

export const REDIS_URL = TEST_REDIS_URL;

export interface Isolation {
  prefix: string;
  databaseUrl: string;
  /** Drops the database and deletes the prefix's keys now (also runs on exit if not called). */
  release(): Promise<void>;
}

export function uniqueTag(kind: string): string {
  return `jb${kind}${randomBytes(3).toString('hex')}`;
}

/** Deletes every key under `prefix:` (ledger, conversations, rate limits, BullMQ queues, web chat history). */
export async function deleteRedisPrefix(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', () => {});
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 2000);
      cursor = next;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export async function isolate(kind: string, opts: { database?: boolean } = {}): Promise<Isolation> {
  const prefix = uniqueTag(kind);
  const db = opts.database === false ? undefined : await createTestDatabase();
  const release = deferCleanup(`database and keys of ${prefix}`, async () => {
    // Keys first: dropping the database cannot fail them, and they are what would otherwise linger for days.
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });
  return { prefix, databaseUrl: db?.url ?? '', release };
}

/**
 * The environment of a gateway or worker under test: everything on 127.0.0.1, quiet logs, flood limits
 * raised (the load comes from one IP), complaints with a place filed without a confirmation turn, and no
 * bot-channel credentials inherited from the shell (nothing may reach the internet).
 */
export function gatewayEnv(iso: Isolation, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(TELEGRAM|SLACK|WECHAT|WEIBO|HOTLINE|STAFF_ALERT)_/.test(k) && !/^(PORT|HOST|DATABASE_URL|REDIS_URL|QUEUE_PREFIX|RUN_WORKERS|KB_PATH|DATA_DIR)$/.test(k)),
  );
  return {
    ...inherited,
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL,
    DATABASE_URL: iso.databaseUrl,
    QUEUE_PREFIX: iso.prefix,
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    LOG_LEVEL: 'silent',
    CONFIRM_COMPLAINTS: '0',
    SENDER_LIMIT_PER_MINUTE: '100000000',
    IP_LIMIT_PER_MINUTE: '100000000',
    RUN_WORKERS: '1',
    ...extra,
  };
}
