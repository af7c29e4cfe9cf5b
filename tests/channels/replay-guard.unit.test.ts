// The replay guard on the real Redis: a signed query is remembered with its body's digest for twice the window;
// the same body again is a retry, another body a replay; Redis not answering is "cannot tell", never "first".
import { afterAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ReplayGuard } from '../../channels/replay-guard.js';
import { IntakeUnavailableError } from '../../src/core/errors.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';

const redis = new Redis(TEST_REDIS_URL);
const prefix = uniquePrefix('replay');
afterAll(() => redis.disconnect());

it('lets a signed query through once per body: first, then retry with the same body, replay with another', async () => {
  const guard = new ReplayGuard(redis, prefix, 300_000);
  const signed = { signature: 'ABCDEF0123', timestamp: '1796400000', nonce: '4711' };
  expect(await guard.check(signed, '<xml>a</xml>')).toBe('first');
  expect(await guard.check(signed, Buffer.from('<xml>a</xml>'))).toBe('retry');
  expect(await guard.check({ ...signed, signature: 'abcdef0123' }, '<xml>b</xml>')).toBe('replay');
  expect(await guard.check({ ...signed, nonce: '4712' }, '<xml>b</xml>')).toBe('first');
  const [key] = await redis.keys(`${prefix}:replay:*`);
  const ttl = await redis.pttl(key);
  expect(ttl).toBeGreaterThan(590_000);
  expect(ttl).toBeLessThanOrEqual(600_000);
});

it('throws IntakeUnavailableError when Redis does not answer', async () => {
  const down = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
  down.on('error', () => {});
  const guard = new ReplayGuard(down, prefix, 300_000);
  await expect(guard.check({ signature: 'a', timestamp: '1', nonce: 'n' }, 'x')).rejects.toBeInstanceOf(IntakeUnavailableError);
  down.disconnect();
});
