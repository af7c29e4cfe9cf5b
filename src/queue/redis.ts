// Finding Redis, in the order the README documents: REDIS_URL; else a redis-server already answering on
// 127.0.0.1:6379; else one started from PATH on a free port with its append-only file in DATA_DIR/redis
// (stopped when the gateway exits); else a clear error that says how to get Redis.
import { Redis } from 'ioredis';
import type { RedisOptions } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createLogger, type Logger } from '../log.js';
import { watchConnection } from '../connection-state-log.js';
import { ConfigError, redactUrl } from '../config.js';

/** Redis is not where the configuration says (or nowhere): a configuration error like the others. */
export class RedisUnavailableError extends ConfigError {}

export interface ResolvedRedis {
  url: string;
  /** How it was found: 'env' | 'local' | 'spawned'. */
  source: 'env' | 'local' | 'spawned';
  /** Stops the redis-server we started, if any. */
  stop(): Promise<void>;
}

/** One PING with a deadline; resolves to the error message, or undefined when Redis answered. */
export async function pingRedis(url: string, timeoutMs = 1500): Promise<string | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  // The socket's own error (connect ECONNREFUSED 127.0.0.1:6390, ENOTFOUND, a timeout) says more than the
  // "Connection is closed" that connect() rejects with after it.
  let cause: Error | undefined;
  client.on('error', (err: Error) => (cause ??= err));
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (err) {
    return cause?.message || (err as Error).message || String(err);
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

async function spawnRedis(dataDir: string, log: Logger): Promise<ResolvedRedis> {
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--protected-mode', 'yes'],
    { stdio: 'ignore' },
  );
  const failed = new Promise<string>((res) => {
    child.once('error', (e) => res(e.message));
    child.once('exit', (code) => res(`redis-server exited with code ${code}`));
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    const result = await Promise.race([failed, new Promise<undefined>((r) => setTimeout(r, 100))]);
    if (typeof result === 'string') throw new RedisUnavailableError(result);
    if ((await pingRedis(url, 500)) === undefined) {
      log.info({ url, dir }, 'started redis-server (append-only file on)');
      return {
        url,
        source: 'spawned',
        stop: async () => {
          if (child.exitCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(`redis-server on port ${port} did not answer within 5 s`);
}

export async function resolveRedis(opts: { redisUrl?: string; dataDir: string; localUrl?: string }, log: Logger): Promise<ResolvedRedis> {
  const noop = async () => {};
  if (opts.redisUrl) {
    const err = await pingRedis(opts.redisUrl, 3000);
    if (err) throw new RedisUnavailableError(`REDIS_URL ${redactUrl(opts.redisUrl)} is not answering (tried for 3 s: ${err}). Start Redis there, or correct REDIS_URL.`);
    return { url: opts.redisUrl, source: 'env', stop: noop };
  }
  const local = opts.localUrl ?? 'redis://127.0.0.1:6379';
  if ((await pingRedis(local, 800)) === undefined) return { url: local, source: 'local', stop: noop };
  try {
    return await spawnRedis(opts.dataDir, log);
  } catch (err) {
    throw new RedisUnavailableError(
      `no Redis: REDIS_URL is unset, nothing answers on 127.0.0.1:6379, and redis-server could not be started ` +
        `(${(err as Error).message}). Install it (Debian: apt-get install redis-server), or set REDIS_URL=redis://host:port.`,
    );
  }
}

/**
 * Connection options for BullMQ. Workers block on Redis and must retry forever (maxRetriesPerRequest null);
 * producers in the request path must fail fast instead, so a webhook can answer 503 rather than hang.
 */
export function connectionOptions(url: string, role: 'worker' | 'producer'): RedisOptions {
  const u = new URL(url);
  const base: RedisOptions = {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
  return role === 'worker'
    ? { ...base, maxRetriesPerRequest: null }
    : { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
}

/**
 * A client for the request path's own reads and writes (flood limits, ledger, conversation state, web chat
 * history): one retry, no offline queue, so with Redis down a command fails at once and the FAQ path still
 * answers. No auto-pipelining: it saved write syscalls but kept each command's pipeline objects alive long
 * enough to be promoted, and scavenges under 1,000 FAQ/s took 570 ms of every 15 s with it against 142 ms
 * without, for the same throughput (bench, A/B in one session).
 */
export function failFastRedis(url: string, log: Logger = createLogger('info'), name = 'redis'): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (n) => Math.min(n * 200, 2000) });
  watchConnection(client, log, name);
  return client;
}
