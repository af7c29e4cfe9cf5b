// The leader lock (src/queue/leader-lock.ts) against the real Redis: one holder at a time, a clean stop hands
// the role over at once, a lock taken away stops its holder at once, and a holder cut off from Redis stops
// before its lock can expire, so two terms never overlap. Short TTLs keep it quick; the gateway uses 15 s.
import { afterEach, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { RedisLeadership } from '../../src/queue/leader-lock.js';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/databases.js';
import { waitUntil } from '../helpers/webchat-client.js';

const TTL = 600;
const clients: Redis[] = [];
const stops: AbortController[] = [];

afterEach(async () => {
  for (const s of stops.splice(0)) s.abort();
  await new Promise((r) => setTimeout(r, 50));
  for (const c of clients.splice(0)) c.disconnect();
});

interface Term {
  who: string;
  from: number;
  to?: number;
}

/** A process that wants `role`: records its terms and the lines it logs. */
function contender(who: string, prefix: string, terms: Term[]) {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 200 });
  redis.on('error', () => {});
  clients.push(redis);
  const lines: string[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, cb) => (lines.push(JSON.parse(String(chunk)).msg), cb()) }));
  const stop = new AbortController();
  stops.push(stop);
  const done = new RedisLeadership(redis, prefix, log, { ttlMs: TTL }).lead(
    'poller',
    async (signal) => {
      const term: Term = { who, from: Date.now() };
      terms.push(term);
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      term.to = Date.now();
    },
    stop.signal,
  );
  return { redis, lines, stop, done };
}

function overlaps(terms: Term[]): boolean {
  return terms.some((a, i) => terms.some((b, j) => i !== j && a.from < (b.to ?? Infinity) && b.from < (a.to ?? Infinity)));
}

it('lets one of two contenders lead, and hands over at once on a clean stop', async () => {
  const prefix = uniquePrefix('lead');
  const terms: Term[] = [];
  const a = contender('a', prefix, terms);
  await waitUntil(() => terms.length === 1, 2000, 'a leads');
  const b = contender('b', prefix, terms);
  await new Promise((r) => setTimeout(r, 3 * TTL));
  expect(terms.map((t) => t.who)).toEqual(['a']);
  // Logged once per change of state, not once per renewal.
  expect(a.lines).toEqual(['leader lock acquired']);
  expect(b.lines).toEqual([]);

  const stoppedAt = Date.now();
  a.stop.abort();
  await a.done;
  expect(a.lines).toEqual(['leader lock acquired', 'leader lock released']);
  await waitUntil(() => terms.length === 2, 2000, 'b leads');
  // b tries every TTL/3, and the lock was released: no waiting for it to expire.
  expect(terms[1].from - stoppedAt).toBeLessThan(TTL / 3 + 150);
  expect(terms[1].who).toBe('b');
  expect(overlaps(terms)).toBe(false);
  b.stop.abort();
  await b.done;
});

it('stops a leader at once when its lock is taken away', async () => {
  const prefix = uniquePrefix('lead');
  const terms: Term[] = [];
  const a = contender('a', prefix, terms);
  await waitUntil(() => terms.length === 1, 2000, 'a leads');
  const admin = new Redis(TEST_REDIS_URL);
  clients.push(admin);
  const takenAt = Date.now();
  await admin.set(`${prefix}:leader:poller`, 'someone-else', 'PX', 60_000);
  await waitUntil(() => terms[0].to !== undefined, 2000, 'a stopped');
  expect(terms[0].to! - takenAt).toBeLessThanOrEqual(TTL / 3 + 100);
  expect(a.lines).toEqual(['leader lock acquired', 'leader lock lost: stopped at once']);
  // The lock is not a's to release, and a waits for it without leading.
  expect(await admin.get(`${prefix}:leader:poller`)).toBe('someone-else');
  await new Promise((r) => setTimeout(r, TTL));
  expect(terms).toHaveLength(1);
});

it('stops a leader cut off from Redis before its lock expires, and another takes over after it does', async () => {
  const prefix = uniquePrefix('lead');
  const terms: Term[] = [];
  const a = contender('a', prefix, terms);
  await waitUntil(() => terms.length === 1, 2000, 'a leads');
  contender('b', prefix, terms);
  await new Promise((r) => setTimeout(r, TTL));
  // As if its process hung or lost the network: no renewals get through any more.
  a.redis.disconnect();
  await waitUntil(() => terms.length === 2, 4 * TTL, 'b leads');
  expect(terms.map((t) => t.who)).toEqual(['a', 'b']);
  expect(terms[0].to).toBeDefined();
  expect(overlaps(terms)).toBe(false);
});
