// A command that is no gateway (`jiesu users`, `jiesu kb`) reaches the gateways' Redis once, to tell them
// something now: REDIS_URL, else a local one on 127.0.0.1:6379. Nothing waits or retries — with no Redis
// answering no gateway runs on it, and the gateways' own checks catch up — but the command says why it could
// not, rather than a silent "later". A one-shot client has no connection state to follow over time, so its
// failure is returned to the command that prints it, not logged.
import { Redis } from 'ioredis';

const LOCAL_REDIS = 'redis://127.0.0.1:6379';

export type RedisOnce<T> = { reached: true; value: T } | { reached: false; reason: string };

export async function withRedisOnce<T>(redisUrl: string | undefined, use: (client: Redis) => Promise<T>): Promise<RedisOnce<T>> {
  const client = new Redis(redisUrl ?? LOCAL_REDIS, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1500, retryStrategy: () => null });
  // ioredis emits 'error' as well as rejecting connect(): the first one is what went wrong.
  let firstError: unknown;
  client.on('error', (err: unknown) => (firstError ??= err));
  try {
    await client.connect();
    return { reached: true, value: await use(client) };
  } catch (err) {
    const cause = firstError ?? err;
    return { reached: false, reason: (cause as Error)?.message || String(cause) };
  } finally {
    client.disconnect();
  }
}
