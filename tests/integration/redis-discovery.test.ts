// Where Redis comes from (README): REDIS_URL, else a local 6379, else a redis-server we start with its
// append-only file in DATA_DIR/redis, else a clear error.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pingRedis, resolveRedis } from '../../src/queue/redis.js';
import { createLogger } from '../../src/log.js';
import { freePort } from '../helpers/processes.js';
import { TEST_REDIS_URL } from '../helpers/databases.js';

const log = createLogger('silent');

describe('resolveRedis', () => {
  it('uses REDIS_URL when it answers, and names it when it does not', async () => {
    expect((await resolveRedis({ redisUrl: TEST_REDIS_URL, dataDir: '/nonexistent' }, log)).source).toBe('env');
    const port = await freePort();
    await expect(resolveRedis({ redisUrl: `redis://127.0.0.1:${port}`, dataDir: '/nonexistent' }, log)).rejects.toThrow(
      new RegExp(`REDIS_URL redis://127.0.0.1:${port} is not answering`),
    );
  });

  it('starts redis-server with an append-only file when nothing answers, and stops it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jiesu-data-'));
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const r = await resolveRedis({ dataDir, localUrl: closed }, log);
    try {
      expect(r.source).toBe('spawned');
      expect(await pingRedis(r.url)).toBeUndefined();
      expect(existsSync(join(dataDir, 'redis'))).toBe(true);
    } finally {
      await r.stop();
    }
    expect(await pingRedis(r.url, 300)).toBeDefined();
  });

  it('says how to get Redis when redis-server cannot be started', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(resolveRedis({ dataDir: mkdtempSync(join(tmpdir(), 'jiesu-data-')), localUrl: closed }, log)).rejects.toThrow(/apt-get install redis-server/);
    } finally {
      process.env.PATH = path;
    }
  });
});
