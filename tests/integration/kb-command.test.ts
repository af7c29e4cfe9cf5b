// `jiesu kb import|export|versions|restore` on PGlite (the default) and PostgreSQL: every import and restore a
// new version with who made it, the export the same YAML format the import reads, a bad file refused with the
// reason and nothing changed, and a clear refusal while a gateway holds the embedded database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../src/config.js';
import { lockPathFor } from '../../src/tickets/directory-lock.js';
import { runKbCommand } from '../../src/tickets/kb-command.js';
import { DEFAULT_KB_PATH } from '../../src/nlu/index.js';
import { loadKb, parseKb } from '../../src/nlu/kb.js';
import { commandConfig, type CommandConfig } from '../helpers/command-config.js';

async function run(args: string[], config: Config, announced = true): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runKbCommand(args, config, { out: (s) => (out += s), err: (s) => (err += s), announce: async () => (announced ? { announced: true } : { notReached: 'connect ECONNREFUSED 127.0.0.1:6379' }) });
  return { code, out, err };
}

describe.each(['pglite', 'postgres'] as const)('jiesu kb on %s', (kind) => {
  let config: Config;
  let dir: string;
  let store: CommandConfig;

  beforeAll(async () => {
    store = await commandConfig(kind, 'kb');
    ({ config, dir } = store);
  });
  afterAll(async () => {
    await store.remove();
  });

  it('refuses bad usage with exit 2', async () => {
    expect((await run([], config)).code).toBe(2);
    expect((await run(['import'], config)).code).toBe(2);
    expect((await run(['restore', 'x'], config)).code).toBe(2);
    expect((await run(['versions', '--version', '2'], config)).code).toBe(2);
  });

  it('imports a file as a version, exports it back, and restores an older version', async () => {
    expect((await run(['export'], config)).code).toBe(1);
    const first = await run(['import', DEFAULT_KB_PATH, '--actor', 'li'], config);
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toMatch(/version 1, \d+ entries/);

    const smaller = join(dir, 'smaller.yaml');
    const entries = await loadKb(DEFAULT_KB_PATH);
    writeFileSync(smaller, `version: 1\nentries:\n${entries.slice(0, 3).map((e) => `  - id: ${e.id}\n    questions: [${JSON.stringify(e.questions[0])}]\n    answer: ${JSON.stringify(e.answer)}\n`).join('')}`);
    const second = await run(['import', smaller], config, false);
    expect(second.out).toMatch(/version 2, 3 entries/);
    expect(second.out).toMatch(/no Redis answered \(connect ECONNREFUSED 127\.0\.0\.1:6379\)/);

    const exported = join(dir, 'out.yaml');
    expect((await run(['export', exported], config)).code).toBe(0);
    expect(parseKb(readFileSync(exported, 'utf8'), exported).map((e) => e.id)).toEqual(entries.slice(0, 3).map((e) => e.id));
    const v1 = await run(['export', '--version', '1'], config);
    expect(parseKb(v1.out, 'stdout')).toEqual(entries);

    expect((await run(['restore', '1', '--actor', 'wang'], config)).out).toMatch(/restored version 1 as version 3/);
    const versions = JSON.parse((await run(['versions', '--json'], config)).out);
    expect(versions.map((v: { version: number; actor: string; action: string }) => [v.version, v.actor, v.action])).toEqual([
      [3, 'cli:wang', 'restore'],
      [2, expect.stringMatching(/^cli:/), 'import'],
      [1, 'cli:li', 'import'],
    ]);
    expect((await run(['restore', '99'], config)).code).toBe(1);
  });

  it('refuses a bad file, saying why, and changes nothing', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nentries:\n  - id: Bad Id\n    questions: [x]\n    answer: y\n');
    const r = await run(['import', bad], config);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/entry #1.*field 'id'/);
    expect(r.err).toMatch(/Nothing was changed/);
    expect(JSON.parse((await run(['versions', '--json'], config)).out)).toHaveLength(3);
  });

  it.runIf(kind === 'pglite')('refuses, naming the holder, while another process holds the embedded database', async () => {
    const lock = lockPathFor(join(config.dataDir, 'pglite'));
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, owner: 'jiesu start', since: new Date().toISOString() }));
    try {
      const r = await run(['import', DEFAULT_KB_PATH], config);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`in use by process ${process.ppid} (jiesu start)`);
      expect(r.err).toMatch(/Nothing was changed/);
    } finally {
      rmSync(lock, { force: true });
    }
    expect(JSON.parse((await run(['versions', '--json'], config)).out)).toHaveLength(3);
  });
});
