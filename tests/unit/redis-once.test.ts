// The commands that are no gateway (`jiesu users`, `jiesu kb`) reach the shared Redis once; when it does not
// answer they say why instead of a silent "later".
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { endStaffSessions } from '../../src/http/admin/end-sessions.js';
import { announceFromOutside, knowledgeChannel } from '../../src/queue/knowledge-sync.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';

const NOWHERE = 'redis://127.0.0.1:1';

describe('reaching the shared Redis once from a command', () => {
  it('ends sessions and announces when Redis answers', async () => {
    const prefix = uniquePrefix('redis-once');
    expect(await endStaffSessions({ redisUrl: TEST_REDIS_URL, queuePrefix: prefix }, 'nobody')).toEqual({ ended: 0 });
    const sub = new Redis(TEST_REDIS_URL);
    const heard = new Promise<string>((r) => sub.on('message', (_channel, what: string) => r(what)));
    await sub.subscribe(knowledgeChannel(prefix));
    expect(await announceFromOutside(TEST_REDIS_URL, prefix, 'kb')).toEqual({ announced: true });
    expect(await heard).toBe('kb');
    sub.disconnect();
  });

  it('says why when Redis does not answer', async () => {
    const prefix = uniquePrefix('redis-once');
    expect(await endStaffSessions({ redisUrl: NOWHERE, queuePrefix: prefix }, 'op1')).toEqual({ notReached: expect.stringMatching(/ECONNREFUSED 127\.0\.0\.1:1/) });
    expect(await announceFromOutside(NOWHERE, prefix, 'kb')).toEqual({ notReached: expect.stringMatching(/ECONNREFUSED 127\.0\.0\.1:1/) });
  });
});
