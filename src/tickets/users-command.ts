// `jiesu users add|list|disable|reset-password|token|revoke-tokens`: staff accounts in the configured database
// (DATABASE_URL, else the PGlite in DATA_DIR). Passwords come from standard input, never from the command line
// (it shows in `ps` and shell history). The embedded database serves one process: while a gateway holds it the
// command says which process does and changes nothing. Returns the process exit code (2: bad usage, 1: refused).
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { openDatabase } from './db.js';
import { DirectoryLockedError } from './directory-lock.js';
import { loadDispatchTable } from './dispatch-table.js';
import { knownUnits } from './dispatch.js';
import { StaffAccountError, StaffStore, STAFF_ROLES, type StaffAccountSummary } from './staff-store.js';

export const USERS_USAGE = `usage: jiesu users <command>
  add NAME --role ROLE [--unit UNIT] [--password-stdin] [--json]
                        a new account (roles: ${STAFF_ROLES.join(', ')}; role unit needs --unit, a street
                        office or department the dispatch table knows); prints a new API token, shown once;
                        --json prints {name, role, unit, token}
  list [--json]         every account with its status, live tokens and when one was last used
  disable NAME          the account can no longer log in or use its tokens
  reset-password NAME   a new password, read from standard input
  token NAME            a new API token for NAME (Authorization: Bearer …), shown once
  revoke-tokens NAME    revokes every API token of NAME`;

export interface UsersIo {
  out?: (s: string) => void;
  err?: (s: string) => void;
  /** Standard input as text (the password). */
  readStdin?: () => Promise<string>;
  /** Ends the account's console sessions now: how many, or why the session store was out of reach. */
  endSessions?: (name: string) => Promise<{ ended: number } | { notReached: string }>;
}

async function readProcessStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (input is shown; pipe it in to keep it off the screen): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function when(d: Date | undefined): string {
  return d ? d.toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '-';
}

function table(users: StaffAccountSummary[]): string {
  const rows = [
    ['NAME', 'ROLE', 'UNIT', 'STATUS', 'PASSWORD', 'TOKENS', 'TOKEN LAST USED'],
    ...users.map((u) => [u.name, u.role, u.unit ?? '-', u.disabledAt ? `disabled ${when(u.disabledAt)}` : 'active', u.passwordHash ? 'set' : '-', String(u.activeTokens), when(u.tokenLastUsedAt)]),
  ];
  // Widths by code points: CJK names are still aligned to the character, if not to the pixel.
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  return rows.map((r) => r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ').trimEnd()).join('\n') + '\n';
}

export async function runUsersCommand(args: string[], config: Config, io: UsersIo = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => process.stderr.write(s));
  const readStdin = io.readStdin ?? readProcessStdin;
  const usage = (why?: string) => {
    err(`${why ? `jiesu users: ${why}\n` : ''}${USERS_USAGE}\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { role: { type: 'string' }, unit: { type: 'string' }, 'password-stdin': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    });
  } catch (e) {
    return usage((e as Error).message);
  }
  const [sub, name, ...extra] = parsed.positionals;
  const { role, unit, json } = parsed.values;
  const needsName = ['add', 'disable', 'reset-password', 'token', 'revoke-tokens'];
  if (!sub || (sub !== 'list' && !needsName.includes(sub))) return usage(sub ? `unknown command ${sub}` : undefined);
  if (sub === 'list' ? name !== undefined : !name || extra.length) return usage(sub === 'list' ? 'list takes no name' : `${sub} takes one NAME`);
  if (sub !== 'add' && (role !== undefined || unit !== undefined)) return usage('--role and --unit belong to add');
  if (sub === 'add' && !role) return usage('add needs --role');
  if (json && sub !== 'add' && sub !== 'list') return usage('--json belongs to add and list');
  // ADMIN_USERS accounts live in the configuration; a database account of the same name would shadow nothing.
  if (name && config.adminUsers.some((u) => u.name === name)) {
    err(`jiesu users: ${name} is an ADMIN_USERS account (configured in the environment); change it there, or choose another name.\n`);
    return 1;
  }

  let password: string | undefined;
  if (sub === 'reset-password' || parsed.values['password-stdin']) {
    password = (await readStdin()).split(/\r?\n/)[0];
    if (!password) return usage(`no password on stdin (e.g. \`printf %s "$PASSWORD" | npx jiesu users ${sub} ${name} …\`)`);
  }

  const sessionsEnded = async (who: string) => {
    const result = await io.endSessions?.(who);
    if (result && 'ended' in result) return `ended ${result.ended} console session(s) of ${who}\n`;
    const unreached = result ? ` (the session store was not reached: ${result.notReached})` : '';
    return `its console sessions end when next used${unreached}; running gateways re-read the account within seconds, a stopped one sweeps them at start\n`;
  };

  let database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, owner: 'jiesu users' });
  } catch (e) {
    if (!(e instanceof DirectoryLockedError)) throw e;
    err(`${e.refusal('users')} Nothing was changed.\n` +
      `  Stop that gateway, run jiesu users, then start it again; or use PostgreSQL (DATABASE_URL), where the command works beside running gateways.\n`);
    return 1;
  }
  try {
    await database.migrate();
    const units = knownUnits(loadDispatchTable());
    const store = new StaffStore(database.db, { isKnownUnit: (u) => units.has(u) });
    switch (sub) {
      case 'add': {
        const account = await store.add({ name: name!, role: role!, ...(unit !== undefined ? { unit } : {}), ...(password !== undefined ? { password } : {}) });
        const token = await store.issueToken(account.name);
        if (json) out(`${JSON.stringify({ name: account.name, role: account.role, unit: account.unit ?? null, token })}\n`);
        else {
          out(`added ${account.name} (${account.role}${account.unit ? `, ${account.unit}` : ''})${password ? ', password set' : ', no password (API token only until reset-password)'}\n`);
          out(`API token (shown once; store it now): ${token}\n`);
        }
        return 0;
      }
      case 'list': {
        const users = await store.list();
        if (json) {
          const shown = users.map(({ passwordHash, ...u }) => ({ ...u, unit: u.unit ?? null, password: Boolean(passwordHash) }));
          out(`${JSON.stringify(shown)}\n`);
        } else out(users.length ? table(users) : 'no accounts yet (jiesu users add NAME --role ROLE)\n');
        return 0;
      }
      case 'disable':
        out((await store.disable(name!)) ? `disabled ${name}: it can no longer log in or use its tokens\n` : `${name} was already disabled\n`);
        out(await sessionsEnded(name!));
        return 0;
      case 'reset-password':
        await store.setPassword(name!, password!);
        out(`password of ${name} replaced\n`);
        out(await sessionsEnded(name!));
        return 0;
      case 'token':
        out(`${await store.issueToken(name!)}\n`);
        err(`a new API token for ${name} (shown once; send it as Authorization: Bearer <token>)\n`);
        return 0;
      case 'revoke-tokens':
        out(`revoked ${await store.revokeTokens(name!)} token(s) of ${name}\n`);
        return 0;
    }
    return usage();
  } catch (e) {
    if (!(e instanceof StaffAccountError)) throw e;
    err(`jiesu users: ${e.message}. Nothing was changed.\n`);
    return e.code === 'invalid' ? 2 : 1;
  } finally {
    await database.close();
  }
}
