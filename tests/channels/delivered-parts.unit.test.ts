// The one delivered-parts store every channel uses: counts per channel and reply, kept 7 days, and "nothing
// sent yet" (never an error) when Redis is out of reach.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { DeliveredParts, DELIVERED_PARTS_TTL_SECONDS } from '../../channels/shared/delivered-parts.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';

const redis = new Redis(TEST_REDIS_URL);
const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
down.on('error', () => undefined);
afterAll(() => {
  redis.disconnect();
  down.disconnect();
});

describe('delivered parts', () => {
  it('counts the parts sent per channel and reply, for seven days', async () => {
    const prefix = uniquePrefix('parts');
    const parts = new DeliveredParts(() => redis, prefix);
    expect(await parts.partsSent('telegram', 'r1')).toBe(0);
    await parts.markSent('telegram', 'r1', 2);
    expect(await parts.partsSent('telegram', 'r1')).toBe(2);
    expect(await parts.partsSent('wechat', 'r1')).toBe(0);
    const ttl = await redis.ttl(`${prefix}:telegram:sent:r1`);
    expect(ttl).toBeGreaterThan(DELIVERED_PARTS_TTL_SECONDS - 5);
    expect(DELIVERED_PARTS_TTL_SECONDS).toBe(7 * 24 * 3600);
  });

  it('answers "nothing sent" and drops the mark when Redis is away', async () => {
    const parts = new DeliveredParts(() => down, 'p');
    await expect(parts.markSent('weibo', 'r1', 1)).resolves.toBeUndefined();
    expect(await parts.partsSent('weibo', 'r1')).toBe(0);
  });
});
