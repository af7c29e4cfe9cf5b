// argon2 (src/tickets/password-hash.ts) is loaded by the first password hashed or checked, not with the
// modules that use it: the staff credentials, the account store and the HTTP app import without it, a login
// by token needs none, and a login by password loads it and still tells right from wrong. In a process of its
// own, so that nothing else has loaded argon2 first.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../helpers/processes.js';

interface Steps { imported: boolean; byToken: boolean; afterToken: boolean; right: boolean; wrong: boolean; afterPassword: boolean }

function run(): Steps {
  const script = `
import { createRequire } from 'node:module';
const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/@node-rs/argon2'));
const { StaffCredentials } = await import('./src/http/admin/staff-credentials.ts');
await import('./src/tickets/staff-store.ts');
await import('./src/http/http-app.ts');
const imported = loaded();
const { hashPassword } = await import('./src/tickets/password-hash.ts');
const token = 'probe-token-123456789';
const creds = (phc) => new StaffCredentials(token, phc ? [{ name: 'alice', passwordHash: phc }] : []);
const byToken = (await creds().check({ token }))?.user === 'admin';
const afterToken = loaded();
const phc = await hashPassword('alice-password');
const right = (await creds(phc).check({ user: 'alice', password: 'alice-password' }))?.user === 'alice';
const wrong = (await creds(phc).check({ user: 'alice', password: 'not-hers' })) !== undefined;
console.log(JSON.stringify({ imported, byToken, afterToken, right, wrong, afterPassword: loaded() }));
process.exit(0);`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  if (child.status !== 0) throw new Error(`child exited ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Steps;
}

describe('argon2', () => {
  it('is loaded by the first password, not at import or by a token login', () => {
    expect(run()).toEqual({ imported: false, byToken: true, afterToken: false, right: true, wrong: false, afterPassword: true });
  });
});
