// `jiesu users` manages staff accounts in the configured store: on PGlite (the default) and PostgreSQL, with
// plain messages, exit 2 for bad usage, passwords only from stdin, and a clear refusal while a gateway holds
// the embedded database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verify } from '@node-rs/argon2';
import type { Config } from '../../src/config.js';
import { openDatabase } from '../../src/tickets/db.js';
import { lockPathFor } from '../../src/tickets/directory-lock.js';
import { StaffStore } from '../../src/tickets/staff-store.js';
import { runUsersCommand } from '../../src/tickets/users-command.js';
import { hashPassword } from '../../src/http/admin/staff-credentials.js';
import { commandConfig, type CommandConfig } from '../helpers/command-config.js';

async function run(args: string[], config: Config, stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runUsersCommand(args, config, { out: (s) => (out += s), err: (s) => (err += s), readStdin: async () => stdin });
  return { code, out, err };
}

describe.each(['pglite', 'postgres'] as const)('jiesu users on %s', (kind) => {
  let config: Config;
  let dir: string;
  let store: CommandConfig;

  async function withStore<T>(fn: (store: StaffStore) => Promise<T>): Promise<T> {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      return await fn(new StaffStore(database.db, { isKnownUnit: () => true }));
    } finally {
      await database.close();
    }
  }

  beforeAll(async () => {
    store = await commandConfig(kind, 'users', { ADMIN_USERS: `carol:${await hashPassword('carol-password')}` });
    ({ config, dir } = store);
  });
  afterAll(async () => {
    await store.remove();
  });

  it('adds a unit account with a password from stdin and prints {name, role, unit, token} with --json', async () => {
    const r = await run(['add', 'lgq', '--role', 'unit', '--unit', '卢沟桥街道', '--password-stdin', '--json'], config, 'lugouqiao-pass\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.out) as { name: string; role: string; unit: string; token: string };
    expect(printed).toMatchObject({ name: 'lgq', role: 'unit', unit: '卢沟桥街道' });
    expect(Object.keys(printed).sort()).toEqual(['name', 'role', 'token', 'unit']);
    await withStore(async (store) => {
      const account = await store.get('lgq');
      expect(await verify(account!.passwordHash!, 'lugouqiao-pass')).toBe(true);
      expect(await store.verifyToken(printed.token)).toMatchObject({ name: 'lgq', unit: '卢沟桥街道' });
    });
  });

  it('refuses bad usage with exit 2 and changes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [[], /usage: jiesu users/],
      [['frobnicate'], /unknown command frobnicate/],
      [['add', 'x'], /add needs --role/],
      [['add', 'x', '--role', 'boss'], /role must be one of admin, operator, unit, social, analyst/],
      [['add', 'x', '--role', 'unit'], /role unit needs --unit/],
      [['add', 'x', '--role', 'unit', '--unit', '火星街道'], /unknown unit 火星街道/],
      [['add', 'x', '--role', 'analyst', '--unit', '卢沟桥街道'], /role analyst takes no unit/],
      [['add', 'x', '--role', 'operator', '--password-stdin'], /no password on stdin/],
      [['disable'], /disable takes one NAME/],
      [['list', '--bogus'], /Unknown option/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args, config);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.out).toBe('');
    }
    const list = await run(['list', '--json'], config);
    expect((JSON.parse(list.out) as { name: string }[]).map((u) => u.name)).toEqual(['lgq']);
  });

  it('refuses a name that exists, in the database or in ADMIN_USERS (exit 1)', async () => {
    const again = await run(['add', 'lgq', '--role', 'operator'], config);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists/);
    const configured = await run(['add', 'carol', '--role', 'operator'], config);
    expect(configured.code).toBe(1);
    expect(configured.err).toMatch(/ADMIN_USERS/);
    expect((await run(['token', 'nobody'], config)).err).toMatch(/no user named nobody/);
  });

  it('lists, issues and revokes tokens, resets a password and disables an account', async () => {
    const add = await run(['add', '王五', '--role', 'analyst'], config);
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/API token \(shown once; store it now\): jst_/);
    const token = await run(['token', '王五'], config);
    expect(token.code).toBe(0);
    expect(token.out.trim()).toMatch(/^jst_[A-Za-z0-9_-]{43}$/);
    const table = (await run(['list'], config)).out.split('\n');
    expect(table[0]).toMatch(/^NAME\s+ROLE\s+UNIT\s+STATUS\s+PASSWORD\s+TOKENS\s+TOKEN LAST USED$/);
    expect(table.find((l) => l.startsWith('王五'))).toMatch(/analyst\s+-\s+active\s+-\s+2\s+-$/);
    expect(table.find((l) => l.startsWith('lgq'))).toMatch(/unit\s+卢沟桥街道\s+active\s+set\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);

    expect((await run(['revoke-tokens', '王五'], config)).out).toMatch(/revoked 2 token/);
    await withStore(async (store) => expect(await store.verifyToken(token.out.trim())).toBeUndefined());

    const reset = await run(['reset-password', '王五'], config, 'wangwu-password\n');
    expect(reset.code).toBe(0);
    await withStore(async (store) => expect(await verify((await store.get('王五'))!.passwordHash!, 'wangwu-password')).toBe(true));

    expect((await run(['disable', '王五'], config)).out).toMatch(/disabled 王五/);
    expect((await run(['disable', '王五'], config)).out).toMatch(/already disabled/);
    expect((await run(['list'], config)).out).toMatch(/王五\s+analyst\s+-\s+disabled \d{4}/);
  });

  it.runIf(kind === 'pglite')('refuses, naming the holder, while another process holds the embedded database', async () => {
    const lock = lockPathFor(join(config.dataDir, 'pglite'));
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, owner: 'jiesu start', since: new Date().toISOString() }));
    try {
      const r = await run(['add', 'late', '--role', 'operator'], config);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`in use by process ${process.ppid} (jiesu start)`);
      expect(r.err).toMatch(/Nothing was changed/);
    } finally {
      rmSync(lock, { force: true });
    }
    expect((await run(['list', '--json'], config)).out).not.toContain('late');
  });
});
