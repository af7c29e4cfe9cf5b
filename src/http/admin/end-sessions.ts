// Ends a staff account's console sessions from outside a gateway (`jiesu users disable|reset-password`), in the
// Redis the gateways share: REDIS_URL, else a local one on 127.0.0.1:6379. Nothing is started to do it: with
// no Redis answering, no gateway is running on it, and the next start's sweep (SessionStore.revokeStale) ends
// them; running gateways also re-read an account within ACCOUNT_RECHECK_MS.
import { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { SessionStore } from './session-store.js';

const LOCAL_REDIS = 'redis://127.0.0.1:6379';

/** How many sessions were ended, or undefined when no Redis answered. */
export async function endStaffSessions(config: Pick<Config, 'redisUrl' | 'queuePrefix'>, user: string): Promise<number | undefined> {
  const client = new Redis(config.redisUrl ?? LOCAL_REDIS, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1500, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return await new SessionStore(client, config.queuePrefix).destroyAllFor(user);
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}
