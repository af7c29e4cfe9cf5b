// SessionStore on the real Redis, with short limits so both expiries are seen happen: the sliding idle timeout
// (each use restarts it), the absolute limit (no activity keeps a session past it), logout, and ending every
// session of one user without touching another's.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessionStore, SESSION_IDLE_MS, SESSION_MAX_MS } from '../../src/http/admin/session-store.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';

const redis = new Redis(TEST_REDIS_URL);
const prefix = uniquePrefix('sessions');
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const who = (user: string) => ({ user, role: 'admin' as const, cred: 'c' });

describe('SessionStore', () => {
  it('defaults to a 30-minute idle timeout and a 12-hour limit', () => {
    const s = new SessionStore(redis, prefix);
    expect([s.idleMs, s.maxMs]).toEqual([SESSION_IDLE_MS, SESSION_MAX_MS]);
    expect([SESSION_IDLE_MS, SESSION_MAX_MS]).toEqual([30 * 60_000, 12 * 3600_000]);
  });

  it('ends a session left idle, and keeps one in use alive past the idle timeout', async () => {
    const store = new SessionStore(redis, prefix, { idleMs: 400, maxMs: 60_000 });
    const idle = await store.create(who('idle'));
    const busy = await store.create(who('busy'));
    for (let i = 0; i < 5; i++) {
      await sleep(200);
      expect((await store.touch(busy.id))?.user).toBe('busy');
    }
    // 1 s has passed: the busy one lives on, the idle one is gone.
    expect(await store.touch(idle.id)).toBeUndefined();
  });

  it('ends a session at its absolute limit however busy it is', async () => {
    const store = new SessionStore(redis, prefix, { idleMs: 400, maxMs: 900 });
    const s = await store.create(who('carol'));
    expect(s.expiresAt - s.createdAt).toBe(900);
    for (let i = 0; i < 3; i++) {
      await sleep(200);
      expect(await store.touch(s.id)).toBeDefined();
    }
    await sleep(400);
    expect(await store.touch(s.id)).toBeUndefined();
  });

  it('carries the user, role, unit and CSRF token; refuses malformed and unknown ids', async () => {
    const store = new SessionStore(redis, prefix);
    const s = await store.create({ user: 'dora', role: 'unit', unit: '三里屯街道', cred: 'c' });
    expect(await store.touch(s.id)).toMatchObject({ user: 'dora', role: 'unit', unit: '三里屯街道', csrf: s.csrf });
    expect(s.csrf).not.toBe(s.id);
    expect(await store.touch('not-an-id')).toBeUndefined();
    expect(await store.touch('A'.repeat(43))).toBeUndefined();
  });

  it('ends one session at logout and every session of a user with destroyAllFor, leaving others alone', async () => {
    const store = new SessionStore(redis, prefix);
    const [e1, e2, e3] = [await store.create(who('erin')), await store.create(who('erin')), await store.create(who('erin'))];
    const f = await store.create(who('frank'));
    expect(await store.destroy(e1.id)).toBe(true);
    expect(await store.touch(e1.id)).toBeUndefined();
    expect(await store.destroyAllFor('erin')).toBe(2);
    expect(await store.touch(e2.id)).toBeUndefined();
    expect(await store.touch(e3.id)).toBeUndefined();
    expect((await store.touch(f.id))?.user).toBe('frank');
  });

  it('sweeps the sessions whose credential no longer stands', async () => {
    const store = new SessionStore(redis, uniquePrefix('sweep'));
    const old = await store.create({ user: 'gina', role: 'admin', cred: 'old' });
    const cur = await store.create({ user: 'gina', role: 'admin', cred: 'new' });
    const gone = await store.create({ user: 'hal', role: 'admin', cred: 'x' });
    expect(await store.revokeStale((s) => s.user === 'gina' && s.cred === 'new')).toBe(2);
    expect(await store.touch(old.id)).toBeUndefined();
    expect(await store.touch(gone.id)).toBeUndefined();
    expect((await store.touch(cur.id))?.cred).toBe('new');
  });
});
