// How the embedded PGlite database is opened so that it fits beside the gateway in a small machine.
//
// PGlite is PostgreSQL compiled to WebAssembly, and a WebAssembly memory only ever grows: every page the
// database touches stays in the process for its whole life. Two things decide how many it touches:
// - shared_buffers. initdb sizes it for a server (128 MB); one process with one connection and a hotline's
//   tickets is served as well by 16 MB; max_connections, which sizes the lock and process tables, is kept small.
// - V8's optimizing compiler. Postgres's WebAssembly (9 MB) is compiled by the baseline compiler, Liftoff, and
//   then every function that runs often is compiled again by TurboFan in the background; for Postgres that is
//   much of the server, and the optimized code and the compiler's working memory add some 70 MB that never go
//   away. A gateway's queries are small (the time goes to the round trips through JavaScript), so the database
//   is compiled by Liftoff only: openPglite sets V8's --liftoff-only while the module compiles, and then unsets
//   it, so that any other WebAssembly (undici's HTTP parser) is optimized as usual.
// - initdb itself. Creating a database runs initdb in a second WebAssembly instance inside the same process,
//   and its pages are not given back after it closes. So a first start creates the data directory in a short
//   child process and then opens it like any restart: the child's memory goes back to the system when it exits.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

const run = promisify(execFile);

/** Settings passed to every PGlite this process opens (the library's own start parameters, then ours). */
export function pgliteOptions(): PGliteOptions {
  return { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'max_connections=5'] };
}

/** Opens PGlite on `dir` (a data directory, 'memory://' or none for a throwaway one), compiled by Liftoff only. */
export async function openPglite(dir: string | undefined): Promise<PGlite> {
  v8.setFlagsFromString('--liftoff-only');
  try {
    const client = dir === undefined ? new PGlite(pgliteOptions()) : new PGlite(dir, pgliteOptions());
    await client.waitReady;
    return client;
  } finally {
    v8.setFlagsFromString('--no-liftoff-only');
  }
}

/**
 * Creates a PGlite data directory in a child process (runs initdb there), so that none of initdb's memory is
 * left in this one. Plain JavaScript given to `node -e`, so the same call works from the TypeScript sources and
 * from the compiled dist/.
 */
export async function createPgliteDirectory(dir: string): Promise<void> {
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)});
const db = new PGlite(process.argv[1], JSON.parse(process.argv[2]));
await db.waitReady;
await db.close();`;
  await run(process.execPath, ['--input-type=module', '-e', script, dir, JSON.stringify(pgliteOptions())], { timeout: 180_000 });
}
