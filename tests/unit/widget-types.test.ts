// The widget ships as one plain script with no build step; its JSDoc types are checked by tsc
// (tsconfig.widget.json: checkJs with strict null checks), so a type error in it fails the unit tests.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/processes.js';

const run = promisify(execFile);
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('web chat widget', () => {
  it('type-checks under tsconfig.widget.json', async () => {
    const result = await run(process.execPath, [TSC, '-p', 'tsconfig.widget.json', '--pretty', 'false'], { cwd: REPO_ROOT }).then(
      () => '',
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
    expect(result).toBe('');
  });
});
