// `jiesu demo` fills the configured store with a recent month that every console page can show: on PGlite (the
// default store) and on PostgreSQL, and never on top of a city's real tickets unless told to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import type { Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/tickets/db.js';
import { runDemoCommand } from '../../src/demo/demo-command.js';
import { lockPathFor } from '../../src/tickets/directory-lock.js';
import { RedisHandoffDesk } from '../../src/queue/handoff-desk.js';
import { MentionsLog } from '../../channels/weibo/mentions-log.js';
import { TEST_REDIS_URL } from '../helpers/databases.js';
import { commandConfig, type CommandConfig } from '../helpers/command-config.js';

async function rows<T>(database: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function run(args: string[], config: Config): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runDemoCommand(args, config, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe.each(['pglite', 'postgres'] as const)('jiesu demo on %s', (kind) => {
  let config: Config;
  let dir: string;
  let store: CommandConfig;
  const redis = new Redis(TEST_REDIS_URL);

  beforeAll(async () => {
    store = await commandConfig(kind, 'demo');
    ({ config, dir } = store);
  });
  afterAll(async () => {
    await store.remove();
    redis.disconnect();
  });

  it('seeds a month with every channel, district and step of the lifecycle, dated up to now', async () => {
    const { code, err } = await run(['--tickets', '1500', '--seed', '7'], config);
    expect(err).toBe('');
    expect(code).toBe(0);
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const [s] = await rows<Record<string, number | string>>(
        database,
        sql`select count(*)::int as n, count(distinct channel)::int as channels, count(distinct district)::int as districts,
                   count(distinct category)::int as categories, count(duplicate_of)::int as duplicates,
                   count(rating)::int as rated, count(overdue_at)::int as overdue,
                   count(*) filter (where created_at > now() - interval '24 hours')::int as last_day,
                   count(*) filter (where created_at > now())::int as future
            from tickets`,
      );
      expect(Number(s.n)).toBeGreaterThan(1400);
      expect(Number(s.channels)).toBe(6);
      expect(Number(s.districts)).toBe(16);
      expect(Number(s.categories)).toBeGreaterThanOrEqual(15);
      expect(Number(s.duplicates)).toBeGreaterThan(5);
      expect(Number(s.rated)).toBeGreaterThan(0);
      expect(Number(s.overdue)).toBeGreaterThan(0);
      expect(Number(s.last_day)).toBeGreaterThan(0);
      expect(Number(s.future)).toBe(0);
      const statuses = (await rows<{ status: string }>(database, sql`select distinct status from tickets`)).map((r) => r.status);
      expect(statuses).toEqual(expect.arrayContaining(['dispatched', 'in_progress', 'resolved', 'visited']));
      const [orphans] = await rows<{ n: number }>(database, sql`select count(*)::int as n from tickets t where not exists (select 1 from ticket_events e where e.ticket_id = t.id)`);
      expect(Number(orphans.n)).toBe(0);
    } finally {
      await database.close();
    }
    expect((await new RedisHandoffDesk(redis, config.queuePrefix).list()).length).toBe(3);
    const mentions = await new MentionsLog(redis, config.queuePrefix).summary();
    expect(mentions.total).toBe(6);
    expect(mentions.waiting).toBe(2);
  });

  it('a second run replaces the demo month instead of doubling it', async () => {
    const { code, out } = await run(['--tickets', '600', '--days', '10'], config);
    expect(code).toBe(0);
    expect(out).toMatch(/replaced the \d+ demo tickets/);
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const [s] = await rows<{ n: number }>(database, sql`select count(*)::int as n from tickets`);
      expect(Number(s.n)).toBeLessThanOrEqual(600 + 40);
    } finally {
      await database.close();
    }
  });

  it('leaves a database with real tickets alone unless --force', async () => {
    let database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await database.db.execute(
      sql`insert into tickets (number, source_message_id, channel, conversation_id, sender_id, text, tier, due_at)
          values ('20261201-999999', 'webchat:real-1', 'webchat', 's1', 'u1', '路灯坏了', '7d', now() + interval '7 days')`,
    );
    const [before] = await rows<{ n: number }>(database, sql`select count(*)::int as n from tickets`);
    await database.close();

    const refused = await run([], config);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/already holds 1 real tickets.*--force/s);

    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const [after] = await rows<{ n: number }>(database, sql`select count(*)::int as n from tickets`);
    await database.close();
    expect(Number(after.n)).toBe(Number(before.n));

    const forced = await run(['--force', '--tickets', '200', '--days', '5'], config);
    expect(forced.code).toBe(0);
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const real = await rows<{ n: number }>(database, sql`select count(*)::int as n from tickets where source_message_id = 'webchat:real-1'`);
    await database.close();
    expect(Number(real[0].n)).toBe(1);
  });

  it.runIf(kind === 'pglite')('refuses, naming the holder, while another process holds the embedded database', async () => {
    // The lock of a live process other than this one (the test runner's parent stands in for a gateway).
    const lock = lockPathFor(join(config.dataDir, 'pglite'));
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, owner: 'a running gateway', since: new Date().toISOString() }));
    try {
      const r = await run([], config);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`in use by process ${process.ppid} \\(a running gateway\\)`));
    } finally {
      rmSync(lock, { force: true });
    }
  });

  it('refuses bad numbers with a usage line', async () => {
    const r = await run(['--tickets', 'lots'], config);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/positive whole numbers/);
  });
});
