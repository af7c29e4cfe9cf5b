// A lock file that says which process owns a directory. PGlite is single-process: a second process opening the
// same data directory (a `jiesu report` beside a running gateway) would run its own Postgres on the same files
// and corrupt them. The owner writes `<dir>.lock` (beside the directory, not in it: Postgres creates its cluster
// in an empty directory) with its pid, created exclusively so two processes cannot both take it; release()
// removes it on a clean stop. A lock left by a process that is gone (killed) is stale and taken over, and so is
// one naming our own pid (a container's process restarted with the same pid). Pids are per host, or per
// container: the lock keeps apart processes that see each other, the ones that can share a local directory.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

export class DirectoryLockedError extends Error {
  readonly code = 'DIRECTORY_LOCKED';
  constructor(
    readonly lockPath: string,
    readonly pid: number,
    readonly owner: string,
  ) {
    super(`${lockPath} is held by process ${pid} (${owner})`);
  }

  /** What the `jiesu <command>` that met this lock tells its user, before its own advice. */
  refusal(command: string): string {
    return `jiesu ${command}: the embedded database beside ${this.lockPath} is in use by process ${this.pid} (${this.owner}), and it serves one process at a time.`;
  }
}

export interface DirectoryLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

interface LockContent {
  pid: number;
  owner: string;
  since: string;
}

export function lockPathFor(dir: string): string {
  return `${dir.replace(/[/\\]+$/, '')}.lock`;
}

/**
 * Takes the lock on `dir` for this process, or throws DirectoryLockedError naming the live process holding it.
 * `owner` says what holds it (e.g. `jiesu start`), for the message another process prints.
 */
export function acquireDirectoryLock(dir: string, owner: string): DirectoryLock {
  const path = lockPathFor(dir);
  const mine: LockContent = { pid: process.pid, owner, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      return lockHandle(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readLock(path);
    if (held && held.pid !== process.pid && isAlive(held.pid)) throw new DirectoryLockedError(path, held.pid, held.owner);
    // Stale (its process is gone), unreadable (a crash mid-write) or our own: take it over once.
    rmSync(path, { force: true });
  }
  const held = readLock(path);
  throw new DirectoryLockedError(path, held?.pid ?? 0, held?.owner ?? 'unknown');
}

function lockHandle(path: string): DirectoryLock {
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
    },
  };
}

function readLock(path: string): LockContent | undefined {
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    return typeof c.pid === 'number' ? { pid: c.pid, owner: String(c.owner ?? 'unknown'), since: String(c.since ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks existence only; EPERM means it exists but belongs to another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
