// Where the NLU's data lives (`intents/` at the package root) and how it is read. Resolved from the package
// root rather than the working directory, so `npx jiesu` works from anywhere, compiled or not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { packagePath } from '../package-root.js';

export const INTENTS_DIR = packagePath('intents');

export function intentsPath(file: string): string {
  return join(INTENTS_DIR, file);
}

/** The knowledge base that ships in intents/, used when KB_PATH is not set. */
export const DEFAULT_KB_PATH = intentsPath('faq.zh.yaml');

export function readIntentsYaml<T>(file: string): T {
  return parseYaml(readFileSync(intentsPath(file), 'utf8')) as T;
}

export function readIntentsJson<T>(file: string): T {
  return JSON.parse(readFileSync(intentsPath(file), 'utf8')) as T;
}
