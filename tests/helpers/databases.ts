// Real PostgreSQL for tests: each caller gets a fresh database on the local server (dropped afterwards),
// so test files never see each other's rows.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../src/tickets/db.js';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `jiesu_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(TEST_PG_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function uniquePrefix(tag = 't'): string {
  return `jiesu_${tag}_${randomBytes(4).toString('hex')}`;
}

/** A fresh database, migrated and open; `close` closes it and drops it. */
export async function openTestDatabase(): Promise<{ database: Database; close(): Promise<void> }> {
  const t = await createTestDatabase();
  const database = await openDatabase({ databaseUrl: t.url });
  await database.migrate();
  return {
    database,
    close: async () => {
      await database.close();
      await t.drop();
    },
  };
}
