// `jiesu hash-password`, as an operator converting ADMIN_USERS runs it: the password on stdin, the argon2id
// hash on stdout, accepted by the configuration and verifying the password — even while the environment still
// holds the old entries the gateway refuses.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { verify } from '@node-rs/argon2';
import { loadConfig } from '../../src/config.js';

const BIN = fileURLToPath(new URL('../../bin/jiesu.mjs', import.meta.url));
const OLD_USERS = 'alice:5e884898da28047151d0e56f8dc6292773603d0d2dfa9bd6d4ab2af3a5ba6f3f';

function run(input: string) {
  return spawnSync(process.execPath, [BIN, 'hash-password'], { input, encoding: 'utf8', env: { ...process.env, ADMIN_USERS: OLD_USERS }, timeout: 30_000 });
}

describe('jiesu hash-password', () => {
  it('prints an argon2id hash of the first line of stdin that ADMIN_USERS accepts', async () => {
    const r = run('correct horse battery staple\n');
    expect(r.status).toBe(0);
    const hash = r.stdout.trim();
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(await verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await verify(hash, 'correct horse battery staple\n')).toBe(false);
    expect(loadConfig({ ADMIN_USERS: `alice:${hash}` }).adminUsers).toEqual([{ name: 'alice', passwordHash: hash }]);
    // Salted: the same password never gives the same hash twice.
    expect(run('correct horse battery staple').stdout.trim()).not.toBe(hash);
  });

  it('refuses an empty password with exit code 2', () => {
    const r = run('');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no password on stdin/);
  });

  it('is what the start-up refusal of the old entries points to', () => {
    expect(() => loadConfig({ ADMIN_USERS: OLD_USERS })).toThrow(/npx jiesu hash-password/);
  });
});
