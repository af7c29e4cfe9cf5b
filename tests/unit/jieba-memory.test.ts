// The segmenter's dictionary is not backed by transparent huge pages (src/nlu/segmenter.ts): each 2 MB page
// is resident in full, which made the dictionary some 8 MB larger in memory. Measured in processes of their
// own: the segmenter as the gateway loads it, and the same with the operator's MIMALLOC_ALLOW_THP=1 (which it
// respects), so the check sees huge pages when the machine gives them.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { REPO_ROOT } from '../helpers/processes.js';

const THP = '/sys/kernel/mm/transparent_hugepage/enabled';
const hugePagesOffered = existsSync(THP) && !readFileSync(THP, 'utf8').includes('[never]');

/** The process's memory in transparent huge pages (MB) once the dictionary is loaded and used. */
function hugePagesMb(env: Record<string, string>): number {
  const script = `
const { cut } = await import('./src/nlu/segmenter.ts');
cut('我家老人的养老金这个月没到账');
const kb = (await import('node:fs')).readFileSync('/proc/self/smaps_rollup', 'utf8').match(/AnonHugePages:\\s+(\\d+)/)[1];
console.log(Number(kb) / 1024);`;
  const childEnv = { ...process.env, ...env };
  if (!('MIMALLOC_ALLOW_THP' in env)) delete childEnv.MIMALLOC_ALLOW_THP;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', env: childEnv, timeout: 60_000 });
  if (run.status !== 0) throw new Error(`child exited ${run.status}: ${run.stderr}`);
  return Number(run.stdout.trim().split('\n').at(-1));
}

describe.skipIf(!hugePagesOffered)('segmenter memory', () => {
  it('keeps the jieba dictionary out of transparent huge pages, unless the operator asks for them', () => {
    const asLoaded = hugePagesMb({});
    const operatorChoice = hugePagesMb({ MIMALLOC_ALLOW_THP: '1' });
    expect(operatorChoice, 'huge pages with MIMALLOC_ALLOW_THP=1').toBeGreaterThan(8);
    expect(asLoaded).toBeLessThan(operatorChoice - 8);
  });
});
