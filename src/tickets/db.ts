// Opens the ticket database: a PostgreSQL server when DATABASE_URL is set, else PGlite (embedded Postgres)
// with its data in DATA_DIR/pglite. Both are driven by Drizzle with the same schema and migrations, so the
// store's SQL is the same on both. PGlite serves one process: the directory is locked while it is open
// (directory-lock.ts), and a second process is refused with the owner's pid instead of corrupting it.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { acquireDirectoryLock } from './directory-lock.js';
import { packagePath } from '../package-root.js';
import * as schema from './schema.js';
import { createLogger, type Logger } from '../log.js';
import { watchConnection } from '../connection-state-log.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Applies pending migrations (idempotent; concurrent starts are serialized by drizzle's migrations table). */
  migrate(): Promise<void>;
  /** A cheap round trip, for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = packagePath('src', 'tickets', 'migrations');

/** `mustExist` was asked and there is no PGlite database in `dir`. */
export class DatabaseMissingError extends Error {
  readonly code = 'DATABASE_MISSING';
  constructor(readonly dir: string) {
    super(`no PGlite database in ${dir}`);
  }
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** The PGlite directory itself ('memory://' for a throwaway one); default DATA_DIR/pglite. */
  pgliteDir?: string;
  /** PGlite: refuse (DatabaseMissingError) rather than create a database that is not there. */
  mustExist?: boolean;
  /** PGlite: what holds the directory, named to another process that finds it locked. Default `jiesu`. */
  owner?: string;
  /** Where a PostgreSQL outage is logged (once when it starts, once when it ends). */
  log?: Logger;
}

/** The PGlite directory `openDatabase` uses for these options (none for PostgreSQL or memory). */
export function pgliteDirOf(opts: OpenDatabaseOptions): string | undefined {
  if (opts.databaseUrl || opts.pgliteDir === 'memory://') return undefined;
  return opts.pgliteDir ?? join(opts.dataDir ?? './data', 'pglite');
}

/**
 * Throws DatabaseMissingError (PGlite, `mustExist`) and DirectoryLockedError (PGlite directory held by another
 * live process).
 */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10, connectionTimeoutMillis: 5000 });
    // An idle client losing its server (Postgres restarted) must not crash the process; the pool replaces it,
    // and the outage is logged once when it starts and once when a client connects again.
    watchConnection(pool, opts.log ?? createLogger('info'), 'postgres', 'connect');
    const db = drizzle({ client: pool, schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      migrate: async () => {
        // drizzle's migrator takes no lock; a gateway and workers starting together must not both migrate.
        const conn = await pool.connect();
        try {
          await conn.query('select pg_advisory_lock(727345)');
          await migrate(drizzle({ client: conn, schema }) as never, { migrationsFolder: MIGRATIONS_DIR });
        } finally {
          // A session's advisory lock ends with its connection, which is released (and closed if broken) next.
          await conn.query('select pg_advisory_unlock(727345)').catch(() => {});
          conn.release();
        }
      },
      ping: async () => {
        await pool.query('select 1');
      },
      close: () => pool.end(),
    };
  }
  const { createPgliteDirectory, openPglite } = await import('./pglite-memory.js');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const dir = pgliteDirOf(opts);
  let lock: ReturnType<typeof acquireDirectoryLock> | undefined;
  if (dir !== undefined) {
    // PG_VERSION is the first thing Postgres writes into a data directory, and it is there in every one.
    if (opts.mustExist && !existsSync(join(dir, 'PG_VERSION'))) throw new DatabaseMissingError(dir);
    mkdirSync(dir, { recursive: true });
    lock = acquireDirectoryLock(dir, opts.owner ?? 'jiesu');
    try {
      if (!existsSync(join(dir, 'PG_VERSION'))) await createPgliteDirectory(dir);
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  let client: Awaited<ReturnType<typeof openPglite>>;
  try {
    client = await openPglite(dir);
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: async () => {
      await migrate(db as never, { migrationsFolder: MIGRATIONS_DIR });
    },
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}
