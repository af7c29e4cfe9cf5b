// Files that ship beside the code (intents/, migrations, the console's and the widget's browser assets) are
// found from the package root, not from the module's own directory: the same module runs from `src/` under tsx
// and from `dist/src/` compiled, and only the root is the same for both.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, written as it is in the repository: `packagePath('intents', 'faq.zh.yaml')`. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
