// `jiesu kb import FILE | export [FILE] [--version N] | versions | restore N`: the knowledge base in the
// configured database (DATABASE_URL, else the PGlite in DATA_DIR). An import or a restore is a new version
// (who: --actor, else $USER), announced to running gateways through Redis, which also find it within their
// periodic version check. The embedded database serves one process: while a gateway holds it the command says
// which process does and changes nothing. Returns the process exit code (2: bad usage, 1: refused).
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import type { Config } from '../config.js';
import { openDatabase } from './db.js';
import { DirectoryLockedError } from './directory-lock.js';
import { KbStore, KbStoreError } from './kb-store.js';
import { KbError, formatKb, parseKb } from '../nlu/kb.js';

export const KB_USAGE = `usage: jiesu kb <command>
  import FILE [--actor NAME]   FILE (the YAML format of ../shared/data/README.md) becomes the new version
  export [FILE] [--version N]  writes the current version (or version N) as YAML to FILE, else to stdout
  versions [--json]            every version: number, when, who, what, entries
  restore N [--actor NAME]     version N's entries become the new version`;

export interface KbIo {
  out?: (s: string) => void;
  err?: (s: string) => void;
  /** Tells running gateways: announced, or why no Redis was reached. */
  announce?: () => Promise<{ announced: true } | { notReached: string }>;
}

export async function runKbCommand(args: string[], config: Config, io: KbIo = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => process.stderr.write(s));
  const usage = (why?: string) => {
    err(`${why ? `jiesu kb: ${why}\n` : ''}${KB_USAGE}\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { actor: { type: 'string' }, version: { type: 'string' }, json: { type: 'boolean', default: false } } });
  } catch (e) {
    return usage((e as Error).message);
  }
  const [sub, arg, ...extra] = parsed.positionals;
  if (extra.length) return usage(`unexpected ${extra.join(' ')}`);
  if (sub === 'import' && !arg) return usage('import takes a FILE');
  if (sub === 'restore' && !/^[1-9]\d*$/.test(arg ?? '')) return usage('restore takes a version number');
  if (sub === 'versions' && arg) return usage('versions takes no argument');
  if (!['import', 'export', 'versions', 'restore'].includes(sub ?? '')) return usage(sub ? `unknown command ${sub}` : undefined);
  const version = parsed.values.version;
  if (version !== undefined && (sub !== 'export' || !/^[1-9]\d*$/.test(version))) return usage('--version N belongs to export');
  const actor = `cli:${parsed.values.actor ?? safeUser()}`;

  // The file is read and checked before the database is opened: a bad file changes nothing and says why.
  let imported;
  if (sub === 'import') {
    try {
      imported = parseKb(await readFile(arg!, 'utf8'), arg!);
    } catch (e) {
      if (e instanceof KbError) {
        err(`jiesu kb: ${e.message}\nNothing was changed.\n`);
        return 1;
      }
      err(`jiesu kb: cannot read ${arg}: ${(e as Error).message}\n`);
      return 1;
    }
  }

  let database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, owner: 'jiesu kb' });
  } catch (e) {
    if (!(e instanceof DirectoryLockedError)) throw e;
    err(`${e.refusal('kb')} Nothing was changed.\n` +
      `  Use the console's knowledge-base page (or GET /api/admin/kb/export.yaml) while it runs; or stop that gateway, run jiesu kb, then start it again; or use PostgreSQL (DATABASE_URL), where the command works beside running gateways.\n`);
    return 1;
  }
  try {
    await database.migrate();
    const store = new KbStore(database.db);
    switch (sub) {
      case 'import': {
        const v = await store.change(() => imported!, { actor, action: 'import', note: arg });
        out(`imported ${arg}: version ${v.version}, ${v.size} entries\n`);
        await told(io, out);
        return 0;
      }
      case 'restore': {
        const old = await store.version(Number(arg));
        if (!old) {
          err(`jiesu kb: no version ${arg} (jiesu kb versions lists them)\n`);
          return 1;
        }
        const v = await store.change(() => old.entries, { actor, action: 'restore', note: `version ${old.version}` });
        out(`restored version ${old.version} as version ${v.version} (${v.size} entries)\n`);
        await told(io, out);
        return 0;
      }
      case 'export': {
        const v = version ? await store.version(Number(version)) : await store.current();
        if (!v) {
          err(version ? `jiesu kb: no version ${version}\n` : 'jiesu kb: the database holds no knowledge base yet (a gateway seeds it from KB_PATH at its first start, or jiesu kb import FILE)\n');
          return 1;
        }
        const text = formatKb(v.entries, `knowledge base version ${v.version}, ${v.action} by ${v.actor} at ${v.createdAt.toISOString()}`);
        if (arg) {
          await writeFile(arg, text, 'utf8');
          err(`wrote version ${v.version} (${v.size} entries) to ${arg}\n`);
        } else out(text);
        return 0;
      }
      default: {
        const versions = await store.versions(1000);
        if (parsed.values.json) out(`${JSON.stringify(versions)}\n`);
        else if (!versions.length) out('no knowledge base in the database yet\n');
        else for (const v of versions) out(`${v.version}\t${v.createdAt.toISOString()}\t${v.actor}\t${v.action}${v.note ? ` ${v.note}` : ''}\t${v.size} entries\n`);
        return 0;
      }
    }
  } catch (e) {
    if (e instanceof KbStoreError) {
      err(`jiesu kb: ${e.message}\nNothing was changed.\n`);
      return 1;
    }
    throw e;
  } finally {
    await database.close();
  }
}

async function told(io: KbIo, out: (s: string) => void): Promise<void> {
  const result = await io.announce?.();
  if (result && 'notReached' in result) out(`no Redis answered (${result.notReached}): running gateways load the new version at their next periodic check (within 30 s)\n`);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
