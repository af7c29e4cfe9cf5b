// The young generation through a start (src/start-heap.ts): held at its size while the start allocates, and
// growing as V8 would once released, so that traffic after the start runs with V8's usual young generation.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../helpers/processes.js';

interface Sizes {
  before: number;
  held: number;
  released: number;
}

/** New-space sizes (MB) in a fresh process: at import, after churning while held, after churning once released. */
function youngGenerationSizes(): Sizes {
  const script = `
const v8 = await import('node:v8');
const { releaseYoungGeneration } = await import('./src/start-heap.ts');
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
// Objects that survive a scavenge or two, the kind of allocation that makes V8 grow the young generation.
const churn = () => { let keep = []; for (let i = 0; i < 600000; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 150000) keep = []; } };
const before = newSpace();
churn();
const held = newSpace();
releaseYoungGeneration();
churn();
console.log(JSON.stringify({ before, held, released: newSpace() }));`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`child exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Sizes;
}

describe('young generation through a start', () => {
  it('does not grow while held, and grows as usual once released', () => {
    const sizes = youngGenerationSizes();
    expect(sizes.held, JSON.stringify(sizes)).toBe(sizes.before);
    expect(sizes.released, JSON.stringify(sizes)).toBeGreaterThanOrEqual(4 * sizes.held);
  });
});
