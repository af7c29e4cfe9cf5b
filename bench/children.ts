// Starting and stopping the benchmark's child processes. Every child is registered for cleanup the moment it
// exists, and SIGKILLed on process exit if it is somehow still there.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { call, ready } from './ipc.js';
import { deferCleanup, onExitSyncCleanup } from './cleanup.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUN_TS = join(REPO_ROOT, 'bin', 'run-ts.mjs');

export interface Child<Info> {
  process: ChildProcess;
  info: Info;
  /** Asks politely (IPC `stop` or SIGTERM), then SIGKILLs after `graceMs`. Resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** The last lines a child wrote, for the error message when it dies. */
function tail(child: ChildProcess, keep = 40): () => string {
  const lines: string[] = [];
  const push = (d: Buffer) => {
    lines.push(...String(d).split('\n').filter(Boolean));
    if (lines.length > keep) lines.splice(0, lines.length - keep);
  };
  child.stdout?.on('data', push);
  child.stderr?.on('data', push);
  return () => lines.join('\n');
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

function track<Info>(child: ChildProcess, name: string, polite: () => void): Omit<Child<Info>, 'info'> {
  const forget = onExitSyncCleanup(() => child.kill('SIGKILL'));
  const stopNow = async (graceMs = 15_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        polite();
      } catch {
        // already gone
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited(child);
      clearTimeout(timer);
    }
    forget();
  };
  const undo = deferCleanup(`stop ${name}`, () => stopNow(5_000));
  return { process: child, stop: async (graceMs) => { await stopNow(graceMs); await undo(); } };
}

/** Forks one of the bench's TypeScript children (bench/*-child.ts) and waits for it to announce itself. */
export async function forkChild<Info extends Record<string, unknown>>(
  file: string,
  opts: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number; execArgv?: string[] } = {},
): Promise<Child<Info>> {
  const child = fork(RUN_TS, [join(REPO_ROOT, 'bench', file)], {
    cwd: REPO_ROOT,
    env: opts.env ?? process.env,
    execArgv: opts.execArgv ?? [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output = tail(child);
  const handle = track<Info>(child, file, () => {
    // `stop` lets a gateway drain; a child that is not listening just gets SIGTERM after the grace period.
    call(child, 'stop', undefined, 10_000).catch(() => child.kill('SIGTERM'));
  });
  try {
    const info = await ready<Info>(child, opts.readyTimeoutMs ?? 120_000);
    return { ...handle, info };
  } catch (err) {
    await handle.stop(1000);
    throw new Error(`${file}: ${(err as Error).message}\n${output()}`);
  }
}

/**
 * `node bin/jiesu.mjs worker` exactly as production runs it (LOG_LEVEL=warn: per-job logging would cost CPU we
 * are measuring). `isReady` is polled until it says the worker has registered with its queues. It has no IPC
 * channel, so if this process is SIGKILLed it outlives us; every other exit stops it.
 */
export async function spawnJiesuWorker(
  env: NodeJS.ProcessEnv,
  isReady: () => Promise<boolean>,
  opts: { readyTimeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<Child<{ pid: number }>> {
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  // nodeArgs: e.g. --cpu-prof when looking for where a worker's time goes.
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), join(REPO_ROOT, 'bin', 'jiesu.mjs'), 'worker'], {
    cwd: REPO_ROOT,
    env: { ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail(child, 20); // also keeps draining the pipes, so the child never blocks on a full one
  const handle = track<{ pid: number }>(child, 'jiesu worker', () => child.kill('SIGTERM'));
  try {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready`);
      if (await isReady().catch(() => false)) break;
      if (Date.now() > deadline) throw new Error(`not ready within ${readyTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { ...handle, info: { pid: child.pid! } };
  } catch (err) {
    await handle.stop(1000);
    throw new Error(`jiesu worker: ${(err as Error).message}\n${output()}`);
  }
}
