// The embedded database's memory: PGlite opened by openPglite (src/tickets/pglite-memory.ts) is compiled by
// V8's baseline compiler only, which keeps the optimized copy of Postgres's WebAssembly (tens of megabytes)
// out of the process. Each measurement runs in a process of its own, against the same PGlite opened directly.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../helpers/processes.js';

/** RSS growth (MB) of a fresh process from before opening an in-memory PGlite to after a run of queries. */
function rssGrowthMb(open: 'openPglite' | 'plain'): number {
  const script = `
const { PGlite } = await import('@electric-sql/pglite');
const { openPglite, pgliteOptions } = await import('./src/tickets/pglite-memory.ts');
// Outside the JavaScript heap (whose garbage depends on when the collector last ran): the database's memory,
// its compiled code and the compilers' working memory.
const native = () => (gc(), process.memoryUsage().rss - process.memoryUsage().heapTotal);
const before = native();
const db = process.argv[1] === 'openPglite' ? await openPglite('memory://') : new PGlite('memory://', pgliteOptions());
await db.waitReady;
await db.exec('create table t (id serial primary key, body text, n int); create index on t (n)');
for (let i = 0; i < 3000; i++) {
  await db.query('insert into t (body, n) values ($1, $2)', ['暖气不热 ' + i, i % 97]);
  if (i % 3 === 0) await db.query('select count(*), max(id) from t where n = $1', [i % 97]);
}
// Optimizing compilation runs on background threads, later on a busy machine: wait until RSS settles (10 s at most).
let last = 0;
for (let i = 0; i < 20; i++) {
  await new Promise((r) => setTimeout(r, 500));
  const now = native();
  if (i >= 3 && Math.abs(now - last) < 1048576) break;
  last = now;
}
console.log((native() - before) / 1048576);
await db.close();`;
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script, open], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`child exited ${run.status}: ${run.stderr}`);
  return Number(run.stdout.trim().split('\n').at(-1));
}

describe('PGlite memory', () => {
  it('keeps the optimizing compiler’s copy of the database out of the process', () => {
    const lean = rssGrowthMb('openPglite');
    const plain = rssGrowthMb('plain');
    expect(plain - lean, `openPglite +${lean.toFixed(0)} MB, plain PGlite +${plain.toFixed(0)} MB`).toBeGreaterThan(20);
  }, 120_000);
});
