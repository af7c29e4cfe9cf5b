// Where the NLU's data lives (`intents/` at the repository root) and how it is read. Resolved from this
// file rather than the working directory, so `npx jiesu` works from anywhere; the second candidate covers
// the compiled layout (dist/src/nlu → ../../../intents).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

function findIntentsDir(): string {
  for (const rel of ['../../intents/', '../../../intents/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'places.beijing.json'))) return dir;
  }
  throw new Error('intents/ directory not found next to the sources');
}

export const INTENTS_DIR = findIntentsDir();

export function intentsPath(file: string): string {
  return join(INTENTS_DIR, file);
}

export function readIntentsYaml<T>(file: string): T {
  return parseYaml(readFileSync(intentsPath(file), 'utf8')) as T;
}

export function readIntentsJson<T>(file: string): T {
  return JSON.parse(readFileSync(intentsPath(file), 'utf8')) as T;
}
