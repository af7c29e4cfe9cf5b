// Ends a staff account's console sessions from outside a gateway (`jiesu users disable|reset-password`), in the
// Redis the gateways share. With no Redis answering, no gateway is running on it, and the next start's sweep
// (SessionStore.revokeStale) ends them; running gateways also re-read an account within ACCOUNT_RECHECK_MS.
import type { Config } from '../../config.js';
import { withRedisOnce } from '../../redis-once.js';
import { SessionStore } from './session-store.js';

/** How many sessions were ended, or why the session store could not be reached. */
export type EndedSessions = { ended: number } | { notReached: string };

export async function endStaffSessions(config: Pick<Config, 'redisUrl' | 'queuePrefix'>, user: string): Promise<EndedSessions> {
  const r = await withRedisOnce(config.redisUrl, (client) => new SessionStore(client, config.queuePrefix).destroyAllFor(user));
  return r.reached ? { ended: r.value } : { notReached: r.reason };
}
