// What docker/Dockerfile needs from the repository, checked without a Docker daemon: every path it copies from
// the build context exists and is not excluded by .dockerignore (either makes the build fail), the build stage
// copies everything tsconfig.build.json compiles, the final stage ships every top-level folder the compiled code
// reads beside itself (packagePath), and the context leaves out installed packages, local data and secrets.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Copy {
  stage: number;
  from?: string;
  sources: string[];
}

/** The COPY instructions of a Dockerfile, each with its stage's index (line continuations joined). */
function copiesOf(dockerfile: string): Copy[] {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim());
  const copies: Copy[] = [];
  let stage = -1;
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) stage++;
    const m = /^COPY\s+(.*)$/i.exec(line);
    if (!m) continue;
    const words = m[1].split(/\s+/);
    const flags = words.filter((w) => w.startsWith('--'));
    const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
    const paths = words.filter((w) => !w.startsWith('--'));
    copies.push({ stage, from, sources: paths.slice(0, -1).map((p) => p.replace(/^\.\//, '').replace(/\/$/, '')) });
  }
  return copies;
}

/**
 * Whether .dockerignore leaves a context path out: a pattern matches the path or one of its parent folders,
 * from the context root, `*` and `?` within one path segment and `**` across segments (Docker's rules; `!`
 * exceptions are not used here and are refused so that this stays true).
 */
function ignoredBy(dockerignore: string, path: string): boolean {
  const patterns = dockerignore.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!'))) throw new Error('.dockerignore exceptions (!) are not understood by this check');
  const segments = path.split('/');
  const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  return patterns.some((p) => {
    const body = p.replace(/^\/+/, '').replace(/\/+$/, '').split('**').map((part) =>
      part.split('').map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join(''),
    ).join('.*');
    const re = new RegExp(`^${body}$`);
    return prefixes.some((prefix) => re.test(prefix));
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

const dockerfile = readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const copies = copiesOf(dockerfile);
const finalStage = Math.max(...copies.map((c) => c.stage));

describe('the parsers this test relies on', () => {
  it('reads COPY sources per stage, with --from and line continuations', () => {
    const parsed = copiesOf('FROM a AS b\nCOPY x y ./\nFROM c\nCOPY --from=b /app/dist ./dist\nCOPY --chown=1:1 \\\n  intents ./intents/\n');
    expect(parsed).toEqual([
      { stage: 0, from: undefined, sources: ['x', 'y'] },
      { stage: 1, from: 'b', sources: ['/app/dist'] },
      { stage: 1, from: undefined, sources: ['intents'] },
    ]);
  });
  it('matches .dockerignore patterns from the root, on a path or its parents', () => {
    const ignore = '# comment\nnode_modules\n*.log\ntests/artifacts\ndocs/**/*.tmp\n';
    expect(ignoredBy(ignore, 'node_modules/x/index.js')).toBe(true);
    expect(ignoredBy(ignore, 'server.log')).toBe(true);
    expect(ignoredBy(ignore, 'src/server.log')).toBe(false);
    expect(ignoredBy(ignore, 'tests/artifacts/a.png')).toBe(true);
    expect(ignoredBy(ignore, 'tests/unit/a.test.ts')).toBe(false);
    expect(ignoredBy(ignore, 'docs/a/b/c.tmp')).toBe(true);
    expect(ignoredBy(ignore, 'src')).toBe(false);
  });
});

describe('docker/Dockerfile and .dockerignore', () => {
  it('copies only paths that exist in the repository and reach the build context', () => {
    const local = copies.filter((c) => !c.from).flatMap((c) => c.sources);
    expect(local.length).toBeGreaterThan(0);
    for (const path of local) {
      expect(existsSync(join(ROOT, path)), `${path} is copied but missing`).toBe(true);
      expect(ignoredBy(dockerignore, path), `${path} is copied but .dockerignore leaves it out`).toBe(false);
    }
  });

  it('gives the build stage everything tsconfig.build.json compiles, and the config it extends', () => {
    const built = copies.filter((c) => c.stage === 0 && !c.from).flatMap((c) => c.sources);
    const config = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { extends?: string; include: string[] };
    for (const path of [...config.include, 'tsconfig.build.json', ...(config.extends ? [config.extends.replace(/^\.\//, '')] : [])]) {
      expect(built, `the build stage compiles ${path} but does not copy it`).toContain(path);
    }
  });

  it('ships every top-level folder the compiled code reads from the package root', () => {
    const shipped = new Set(copies.filter((c) => c.stage === finalStage).flatMap((c) => (c.from ? [] : c.sources)));
    // The build stage's /shipped holds src/ and channels/ without their TypeScript, dist/ the compiled code.
    for (const folder of ['src', 'channels', 'dist']) shipped.add(folder);
    const read = new Set<string>();
    for (const file of [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'channels'))]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/packagePath\(\s*'([^']+)'/g)) read.add(m[1]);
    }
    expect(read.size).toBeGreaterThan(0);
    for (const folder of read) expect(shipped.has(folder), `${folder}/ is read at run time but not in the image`).toBe(true);
    expect(shipped.has('package.json'), 'package.json marks the package root').toBe(true);
  });

  it('leaves installed packages, builds, local data and secrets out of the build context', () => {
    for (const path of ['node_modules', 'node_modules/.bin/tsc', 'dist/src/cli.js', 'data/pglite', '.env', '.env.production', '.git']) {
      expect(ignoredBy(dockerignore, path), `${path} would be sent to the daemon`).toBe(true);
    }
  });
});
