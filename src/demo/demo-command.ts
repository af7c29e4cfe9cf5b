// `jiesu demo [--tickets N] [--days N] [--seed N] [--force]`: fills whatever store is configured (PostgreSQL at
// DATABASE_URL, else the embedded PGlite in DATA_DIR) with a realistic recent month ending now, so that every
// console page and today's, this week's and this month's reports have something to show on a first start:
// every channel, category and district, tickets at every step of the lifecycle, ratings, overdue tickets, a
// cluster of duplicate reports that is also today's spike, conversations waiting for a person and microblog
// mentions. A database holding real tickets is left alone unless --force is given: demo data mixed into a
// city's records would corrupt its statistics.
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { openDatabase } from '../tickets/db.js';
import { DirectoryLockedError } from '../tickets/directory-lock.js';
import { resolveRedis } from '../queue/redis.js';
import { createLogger } from '../log.js';
import { seedTickets } from './seed-tickets.js';
import { seedDemoActivity } from './demo-activity.js';
import { demoChannels } from '../../channels/index.js';

export const DEMO_USAGE = `usage: jiesu demo [--tickets N] [--days N] [--seed N] [--force]
  --tickets  how many tickets (default 3000)
  --days     how many days up to now (default 30)
  --force    seed even though the database holds tickets that are not demo data`;

interface Io {
  out?: (s: string) => void;
  err?: (s: string) => void;
}

function positiveInt(value: string | undefined, fallback: number, max: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 && n <= max ? n : undefined;
}

export async function runDemoCommand(args: string[], config: Config, io: Io = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => process.stderr.write(s));
  let values;
  try {
    ({ values } = parseArgs({ args, options: { tickets: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, force: { type: 'boolean', default: false } } }));
  } catch (e) {
    err(`jiesu demo: ${(e as Error).message}\n${DEMO_USAGE}\n`);
    return 2;
  }
  const tickets = positiveInt(values.tickets, 3000, 1_000_000);
  const days = positiveInt(values.days, 30, 3660);
  const seed = positiveInt(values.seed, Date.now() % 100_000, 2 ** 31);
  if (tickets === undefined || days === undefined || seed === undefined) {
    err(`jiesu demo: --tickets, --days and --seed take positive whole numbers\n${DEMO_USAGE}\n`);
    return 2;
  }

  const where = config.databaseUrl ? `PostgreSQL (${new URL(config.databaseUrl).host})` : `the embedded database in ${config.dataDir}`;
  out(`Preparing ${where}…\n`);
  let database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, owner: 'jiesu demo' });
  } catch (e) {
    if (!(e instanceof DirectoryLockedError)) throw e;
    err(`${e.refusal('demo')} Stop the gateway, run jiesu demo, then start it again.\n`);
    return 1;
  }
  try {
    await database.migrate();
    const res = await database.db.execute(sql`select count(*)::int as n from tickets where not coalesce((details->>'seeded')::boolean, false)`);
    const real = Number((res as unknown as { rows: { n: number | string }[] }).rows[0].n);
    if (real > 0 && !values.force) {
      err(`jiesu demo: ${where} already holds ${real} real tickets; demo data would mix into their statistics. Nothing was changed. Use --force to seed anyway.\n`);
      return 1;
    }
    // A second run replaces the earlier demo month instead of doubling it (events go with their tickets).
    const removed = await database.db.execute(sql`delete from tickets where coalesce((details->>'seeded')::boolean, false)`);
    const removedCount = (removed as unknown as { affectedRows?: number; rowCount?: number }).affectedRows ?? (removed as unknown as { rowCount?: number }).rowCount ?? 0;
    if (removedCount) out(`  replaced the ${removedCount} demo tickets of an earlier run\n`);
    out(`Seeding ${tickets} tickets over the last ${days} days…\n`);
    const result = await seedTickets(database, { tickets, days, seed, end: new Date(), timeZone: config.timeZone, channels: demoChannels() });
    out(`  ${result.tickets} tickets (${result.duplicates} linked as duplicates), ${result.events} events, ${result.from} … ${result.to}\n`);
  } finally {
    await database.close();
  }

  // Handoffs and mentions live in Redis, found the way the gateway finds it (a spawned one keeps them in DATA_DIR).
  const redisInfo = await resolveRedis({ redisUrl: config.redisUrl, dataDir: config.dataDir }, createLogger('warn'));
  const redis = new Redis(redisInfo.url, { maxRetriesPerRequest: 2 });
  try {
    const activity = await seedDemoActivity(redis, config.queuePrefix, demoChannels());
    out(`  ${[`${activity.handoffs} conversations waiting for a person`, ...activity.activity].join(', ')} (Redis ${redisInfo.url}, prefix ${config.queuePrefix})\n`);
  } finally {
    redis.disconnect();
    await redisInfo.stop();
  }
  out(`Done. Start the gateway (npm start) and open /admin: every page has data for today and this month.\n`);
  return 0;
}
