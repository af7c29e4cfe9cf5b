// The PGlite directory lock: one live owner at a time, named to whoever finds it taken; a lock whose process is
// gone is taken over; release removes only a lock that is still ours.
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDirectoryLock, DirectoryLockedError, lockPathFor } from '../../src/tickets/directory-lock.js';

const freshDir = () => join(mkdtempSync(join(tmpdir(), 'jiesu-lock-')), 'pglite');

it('writes the owner beside the directory and removes it on release', () => {
  const dir = freshDir();
  const lock = acquireDirectoryLock(dir, 'jiesu gateway');
  expect(lock.path).toBe(`${dir}.lock`);
  expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, owner: 'jiesu gateway' });
  lock.release();
  lock.release();
  expect(existsSync(lock.path)).toBe(false);
});

it('refuses while a live process holds it, naming that process', () => {
  const dir = freshDir();
  // The test runner's parent is alive for as long as this test runs.
  writeFileSync(lockPathFor(dir), JSON.stringify({ pid: process.ppid, owner: 'jiesu gateway', since: new Date().toISOString() }));
  const err = (() => {
    try {
      acquireDirectoryLock(dir, 'jiesu report');
    } catch (e) {
      return e;
    }
  })();
  expect(err).toBeInstanceOf(DirectoryLockedError);
  expect(err).toMatchObject({ pid: process.ppid, owner: 'jiesu gateway' });
  expect(JSON.parse(readFileSync(lockPathFor(dir), 'utf8')).pid).toBe(process.ppid);
});

it('takes over a lock whose process is gone, and one left half written', () => {
  const dir = freshDir();
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
  writeFileSync(lockPathFor(dir), JSON.stringify({ pid: gone, owner: 'jiesu gateway', since: '2026-12-01T00:00:00Z' }));
  const lock = acquireDirectoryLock(dir, 'jiesu report');
  expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, owner: 'jiesu report' });
  lock.release();
  writeFileSync(lockPathFor(dir), '');
  acquireDirectoryLock(dir, 'jiesu report').release();
});

it('leaves alone a lock that another process took after ours was taken over', () => {
  const dir = freshDir();
  const lock = acquireDirectoryLock(dir, 'jiesu report');
  writeFileSync(lock.path, JSON.stringify({ pid: process.ppid, owner: 'jiesu gateway', since: '' }));
  lock.release();
  expect(existsSync(lock.path)).toBe(true);
});
