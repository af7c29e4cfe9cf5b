// The arrows of DESIGN.md ("Which way the arrows point"): src/core defines ports and never imports the layers
// that implement them; src/nlu is pure and imports only its own files and intents/ data; the ticket domain does
// not build queues or workers. Read from the import
// graph itself (every static, type-only, re-exported and dynamic import), so a new file cannot slip past.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.isFile() && e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports, as a path from the repository root (packages as their bare names). */
function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) =>
    fileName.startsWith('.') ? relative(ROOT, resolve(dirname(file), fileName)).split('\\').join('/') : fileName,
  );
}

const FORBIDDEN_FOR_CORE = ['src/queue/', 'src/tickets/', 'src/http/', 'channels/'];

function coreViolations(file: string, imports: string[]): string[] {
  return imports.filter((i) => FORBIDDEN_FOR_CORE.some((layer) => i.startsWith(layer))).map((i) => `${relative(ROOT, file)} → ${i}`);
}

/**
 * Leaf helpers any layer may use: where the package's data files are and the configured time zone's
 * arithmetic. A test below keeps them leaves (they import nothing of the project's).
 */
const LEAVES = ['src/package-root.js', 'src/time-zone.js'];

function nluViolations(file: string, imports: string[]): string[] {
  const local = imports.filter((i) => i.startsWith('src/') || i.startsWith('channels/') || i.startsWith('tests/') || i.startsWith('bench/'));
  return local.filter((i) => !i.startsWith('src/nlu/') && !LEAVES.includes(i)).map((i) => `${relative(ROOT, file)} → ${i}`);
}

describe('layering', () => {
  it('src/core imports nothing from src/queue, src/tickets, src/http or channels/', () => {
    const files = sourceFiles(join(ROOT, 'src', 'core'));
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => coreViolations(f, importsOf(f)))).toEqual([]);
  });

  it('src/tickets (the ticket domain) imports nothing from src/queue, src/http or channels/: the queues are wired in the composition root', () => {
    const files = sourceFiles(join(ROOT, 'src', 'tickets'));
    const forbidden = ['src/queue/', 'src/http/', 'channels/'];
    const violations = files.flatMap((f) => importsOf(f).filter((i) => forbidden.some((l) => i.startsWith(l))).map((i) => `${relative(ROOT, f)} → ${i}`));
    expect(violations).toEqual([]);
  });

  it('the leaf helpers import nothing of the project', () => {
    for (const leaf of LEAVES) {
      const file = join(ROOT, leaf.replace(/\.js$/, '.ts'));
      expect(importsOf(file).filter((i) => i.startsWith('src/') || i.startsWith('channels/'))).toEqual([]);
    }
  });

  it('src/nlu imports only its own files, packages and intents/ data', () => {
    const files = sourceFiles(join(ROOT, 'src', 'nlu'));
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => nluViolations(f, importsOf(f)))).toEqual([]);
  });

  it('sees every kind of import a file can make', () => {
    const file = join(ROOT, 'src', 'core', 'example.ts');
    const text = [
      "import { a } from '../queue/queues.js';",
      "import type { B } from '../tickets/ticket-store.js';",
      "export { c } from '../http/http-app.js';",
      "const d = await import('../../channels/webchat/history.js');",
      "import { e } from './envelope.js';",
    ].join('\n');
    expect(coreViolations(file, importsOf(file, text))).toEqual([
      'src/core/example.ts → src/queue/queues.js',
      'src/core/example.ts → src/tickets/ticket-store.js',
      'src/core/example.ts → src/http/http-app.js',
      'src/core/example.ts → channels/webchat/history.js',
    ]);
    const nlu = join(ROOT, 'src', 'nlu', 'example.ts');
    expect(nluViolations(nlu, importsOf(nlu, "import { f } from '../core/normalize-text.js';\nimport { g } from './bm25.js';"))).toEqual(['src/nlu/example.ts → src/core/normalize-text.js']);
  });
});
