// Whether dist/ holds an up-to-date compilation of the TypeScript sources (`npm run build`). The launcher runs
// the compiled JavaScript with plain node when it does, and only otherwise the sources through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Written by `tsc -b` after every successful build, so its time is the build's. */
const BUILD_INFO = join(ROOT, 'dist', '.tsbuildinfo');
const SOURCE_DIRS = ['src', 'channels'];
const BUILD_CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time among the sources and build settings (an image holds none of them: 0). */
function newestSourceMs() {
  let newest = 0;
  for (const file of BUILD_CONFIGS) if (existsSync(join(ROOT, file))) newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  for (const dir of SOURCE_DIRS) {
    if (!existsSync(join(ROOT, dir))) continue;
    for (const entry of readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      // parentPath from Node 20.12, path before it.
      if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** Why dist/ cannot be run (a sentence), or undefined when it can. */
export function whyNotCompiled() {
  if (!existsSync(BUILD_INFO) || !existsSync(join(ROOT, 'dist', 'src', 'cli.js'))) return 'dist/ is missing';
  if (newestSourceMs() > statSync(BUILD_INFO).mtimeMs) return 'dist/ is older than the sources';
  return undefined;
}
