// The two databases the ticket store runs on — a PostgreSQL server and embedded PGlite — for suites that must
// pass on both (`describe.each(STORE_BACKENDS)`). Each call opens a fresh, empty database.
import { openDatabase, type Database } from '../../src/tickets/db.js';
import { createTestDatabase } from './databases.js';

export type OpenBackend = () => Promise<{ db: Database; drop(): Promise<void> }>;

export const STORE_BACKENDS: [string, OpenBackend][] = [
  [
    'postgres',
    async () => {
      const t = await createTestDatabase();
      return { db: await openDatabase({ databaseUrl: t.url }), drop: t.drop };
    },
  ],
  ['pglite', async () => ({ db: await openDatabase({ pgliteDir: 'memory://' }), drop: async () => {} })],
];
