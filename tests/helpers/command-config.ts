// The configuration a `jiesu` subcommand test runs with: a fresh data directory, and the ticket database either
// the embedded PGlite in it or a fresh PostgreSQL database. `remove()` drops both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix } from './databases.js';

export type StoreKind = 'pglite' | 'postgres';

export interface CommandConfig {
  config: Config;
  /** The data directory (DATA_DIR). */
  dir: string;
  remove(): Promise<void>;
}

export async function commandConfig(kind: StoreKind, name: string, env: Record<string, string> = {}): Promise<CommandConfig> {
  const dir = mkdtempSync(join(tmpdir(), `jiesu-${name}-`));
  const all: Record<string, string> = { DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniquePrefix(name), ...env };
  let drop = async () => {};
  if (kind === 'postgres') {
    const db = await createTestDatabase();
    all.DATABASE_URL = db.url;
    drop = db.drop;
  }
  return {
    config: loadConfig(all),
    dir,
    async remove() {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
