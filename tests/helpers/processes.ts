// Real processes for fault tests: a private redis-server, and `jiesu` commands run as children.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pingRedis } from '../../src/queue/redis.js';

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

export class PrivateRedis {
  private child?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'jiesu-redis-'));
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(opts: { appendonly?: boolean } = {}): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start(opts);
    return r;
  }

  /** Starts the server, unless it is running already (a second one could not bind the port, and would leave the
   * first running unowned after kill()). */
  async start(opts: { appendonly?: boolean } = {}): Promise<void> {
    if (this.running()) return;
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', opts.appendonly === false ? 'no' : 'yes', '--appendfsync', 'always'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      if ((await pingRedis(this.url, 300)) === undefined) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`private redis on ${this.port} did not start`);
  }

  private running(): boolean {
    const c = this.child;
    return !!c && c.exitCode === null && !c.signalCode;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = this.child;
    if (!c || !this.running()) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  }
}

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** Runs `node bin/jiesu.mjs <args>` with the given environment; output goes to the returned buffer. */
export function spawnJiesu(args: string[], env: Record<string, string>): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'jiesu.mjs'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout?.on('data', (d) => child.output.push(String(d)));
  child.stderr?.on('data', (d) => child.output.push(String(d)));
  return child;
}

export async function killAndWait(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}
