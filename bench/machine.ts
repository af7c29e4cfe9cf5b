// The facts a reader needs to judge the figures: this machine, this Node, these servers, and how busy the
// machine was (other work on a shared machine makes every figure pessimistic).
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';
import { REDIS_URL } from './env.js';
import { TEST_PG_URL } from '../tests/helpers/databases.js';
import { REPO_ROOT } from './children.js';

export interface MachineFacts {
  date: string;
  cores: number;
  cpuModel: string;
  memoryGb: number;
  platform: string;
  node: string;
  loadAvgStart: number[];
  loadAvgEnd?: number[];
  redis?: string;
  redisPid?: number;
  postgres?: string;
  commit?: string;
}

export async function machineFacts(): Promise<MachineFacts> {
  const facts: MachineFacts = {
    date: new Date().toISOString(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAvgStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const info = await redis.info('server');
    facts.redis = /redis_version:(\S+)/.exec(info)?.[1];
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    if (pid) facts.redisPid = pid;
  } catch {
    // reported as missing
  } finally {
    redis.disconnect();
  }
  const c = new pg.Client({ connectionString: TEST_PG_URL });
  try {
    await c.connect();
    facts.postgres = (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v;
  } catch {
    // reported as missing
  } finally {
    await c.end().catch(() => {});
  }
  try {
    facts.commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout
  }
  return facts;
}
