// Database staff accounts against a real gateway on PostgreSQL, managed with `jiesu users` while it runs: a
// user logs in to the console with their role and unit, a disabled one cannot and loses the session they had,
// an account's API token reaches the bearer API until revoked; ADMIN_TOKEN and ADMIN_USERS work as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { hashPassword } from '../../src/http/admin/staff-credentials.js';
import { ACCOUNT_RECHECK_MS } from '../../src/http/admin/staff-credentials.js';
import { runUsersCommand } from '../../src/tickets/users-command.js';
import { endStaffSessions } from '../../src/http/admin/end-sessions.js';
import { loginSession, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { TEST_REDIS_URL } from '../helpers/databases.js';
import { MAX_FAILURES } from '../../src/http/auth-throttle.js';

let gw: TestGateway;
let cli: Config;

/** `jiesu users …`; with endSessions, ending sessions in the gateway's Redis (or the one at `redisUrl`). */
async function users(args: string[], stdin = '', opts: { endSessions?: boolean; redisUrl?: string } = {}): Promise<string> {
  let out = '';
  let err = '';
  const endSessions = opts.endSessions ? (name: string) => endStaffSessions({ ...cli, redisUrl: opts.redisUrl ?? cli.redisUrl }, name) : undefined;
  const code = await runUsersCommand(args, cli, { out: (s) => (out += s), err: (s) => (err += s), readStdin: async () => stdin, ...(endSessions ? { endSessions } : {}) });
  if (code !== 0) throw new Error(`jiesu users ${args.join(' ')} → ${code}: ${err}`);
  return out;
}

const session = (cookie: string) => fetch(`${gw.url}/api/admin/session`, { headers: { cookie: `jiesu_admin=${cookie}` } });
const login = (form: Record<string, string>) =>
  fetch(`${gw.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
const bearer = (token: string, path = '/api/tickets') => fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  gw = await startTestGateway({ ADMIN_USERS: `alice:${await hashPassword('alice-password')}`, RUN_WORKERS: '0' });
  cli = loadConfig({ DATABASE_URL: gw.databaseUrl, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: gw.prefix });
}, 180_000);

afterAll(async () => {
  await gw?.stop();
});

describe('database staff accounts', () => {
  it('an administrator account logs in to the console carrying its role', async () => {
    await users(['add', 'boss', '--role', 'admin', '--password-stdin'], 'boss-password');
    const cookie = await loginSession(gw, { user: 'boss', password: 'boss-password' });
    const res = await session(cookie);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: 'boss', role: 'admin' });
    expect((await login({ user: 'boss', password: 'wrong-password' })).status).toBe(401);
  });

  it('accounts of every role sign in and use tokens, each carrying its role and unit (src/http/access scopes them)', async () => {
    await users(['add', 'lgq', '--role', 'unit', '--unit', '卢沟桥街道', '--password-stdin'], 'lugouqiao-pass');
    const res = await login({ user: 'lgq', password: 'lugouqiao-pass' });
    expect(res.status).toBe(303);
    const cookie = /^jiesu_admin=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1];
    expect(await (await session(cookie)).json()).toMatchObject({ user: 'lgq', role: 'unit', unit: '卢沟桥街道' });
    const token = JSON.parse(await users(['add', 'ana', '--role', 'analyst', '--json'])).token as string;
    expect((await bearer(token)).status).toBe(200);
    // An analyst reads tickets, but changes none and manages no one.
    expect((await bearer(token, '/api/admin/users')).status).toBe(403);
  });

  it('a disabled account cannot log in, and the sessions it had end at once (jiesu users reaches Redis)', async () => {
    await users(['add', 'op1', '--role', 'admin', '--password-stdin'], 'operator-pass');
    const cookies = [await loginSession(gw, { user: 'op1', password: 'operator-pass' }), await loginSession(gw, { user: 'op1', password: 'operator-pass' })];
    expect(await (await session(cookies[0])).json()).toMatchObject({ user: 'op1', role: 'admin' });
    expect(await users(['disable', 'op1'], '', { endSessions: true })).toMatch(/ended 2 console session\(s\) of op1/);
    expect((await session(cookies[0])).status).toBe(401);
    expect((await session(cookies[1])).status).toBe(401);
    expect((await login({ user: 'op1', password: 'operator-pass' })).status).toBe(401);
  });

  it('a session of an account disabled where Redis is out of reach ends once the gateway re-reads it', async () => {
    await users(['add', 'op2', '--role', 'admin', '--password-stdin'], 'operator-pass');
    const cookie = await loginSession(gw, { user: 'op2', password: 'operator-pass' });
    // Says why it could not end them now.
    expect(await users(['disable', 'op2'], '', { endSessions: true, redisUrl: 'redis://127.0.0.1:1' })).toMatch(/end when next used \(the session store was not reached: .*ECONNREFUSED/);
    await new Promise((r) => setTimeout(r, ACCOUNT_RECHECK_MS + 200));
    expect((await session(cookie)).status).toBe(401);
  });

  it('a password reset ends the sessions opened with the old one', async () => {
    await users(['add', 'an1', '--role', 'admin', '--password-stdin'], 'analyst-pass');
    const cookie = await loginSession(gw, { user: 'an1', password: 'analyst-pass' });
    await users(['reset-password', 'an1'], 'analyst-pass-2');
    await new Promise((r) => setTimeout(r, ACCOUNT_RECHECK_MS + 200));
    expect((await session(cookie)).status).toBe(401);
    expect((await login({ user: 'an1', password: 'analyst-pass' })).status).toBe(401);
    const fresh = await loginSession(gw, { user: 'an1', password: 'analyst-pass-2' });
    expect((await session(fresh)).status).toBe(200);
  });

  it('an API token reaches /api/tickets and the console API as its account until revoked', async () => {
    await users(['add', 'svc', '--role', 'admin']);
    const token = (await users(['token', 'svc'])).trim();
    expect((await bearer(token)).status).toBe(200);
    expect(await (await bearer(token, '/api/admin/session')).json()).toMatchObject({ user: 'svc', role: 'admin' });
    expect(await users(['list'])).toMatch(/svc\s+admin\s+-\s+active\s+-\s+2\s+\d{4}-\d\d-\d\d /);
    await users(['revoke-tokens', 'svc']);
    expect((await bearer(token)).status).toBe(403);
    expect((await bearer(token, '/api/admin/session')).status).toBe(401);
  });

  it('keeps ADMIN_TOKEN and ADMIN_USERS as they were', async () => {
    expect((await bearer(gw.adminToken)).status).toBe(200);
    expect(await (await session(await loginSession(gw))).json()).toMatchObject({ user: 'admin', role: 'admin' });
    expect(await (await session(await loginSession(gw, { user: 'alice', password: 'alice-password' }))).json()).toMatchObject({ user: 'alice', role: 'admin' });
    // A database account of an ADMIN_USERS name (added where ADMIN_USERS is not set) takes nothing over.
    await users(['add', 'alice', '--role', 'operator', '--password-stdin'], 'takeover-pass');
    expect((await login({ user: 'alice', password: 'takeover-pass' })).status).toBe(401);
    expect(await (await session(await loginSession(gw, { user: 'alice', password: 'alice-password' }))).json()).toMatchObject({ user: 'alice', role: 'admin' });
    expect((await login({ user: 'admin', password: 'anything-at-all' })).status).toBe(401);
  });

  // Last: it locks this address out.
  it('counts wrong API tokens against the address like other bearer guesses', async () => {
    await users(['add', 'svc2', '--role', 'admin']);
    const token = (await users(['token', 'svc2'])).trim();
    const wrong = `jst_${'A'.repeat(43)}`;
    // The failed logins and revoked tokens above count too: the lock comes within MAX_FAILURES guesses.
    const statuses: number[] = [];
    for (let i = 0; i <= MAX_FAILURES; i++) statuses.push((await bearer(wrong)).status);
    expect(statuses[0]).toBe(403);
    expect(statuses.at(-1)).toBe(429);
    expect(new Set(statuses)).toEqual(new Set([403, 429]));
    expect((await bearer(token)).status).toBe(429);
  });
});
