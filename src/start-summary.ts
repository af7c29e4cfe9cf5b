// What `npm start` prints once the gateway is up: one plain block a person can read at a glance — where the
// citizens' demo and the staff console are, the admin token to log in with, and which Redis and database this
// run uses. Printed only after a successful start, so a start that fails never shows a token nobody can use.
import type { Config } from './config.js';
import type { ResolvedRedis } from './queue/redis.js';
import { redactUrl } from './config.js';

export interface StartSummaryInput {
  url: string;
  config: Pick<Config, 'adminToken' | 'adminTokenGenerated' | 'queuePrefix' | 'databaseUrl' | 'dataDir' | 'runWorkers'>;
  redis: Pick<ResolvedRedis, 'url' | 'source'>;
  databaseKind: 'postgres' | 'pglite';
}

const REDIS_SOURCE: Record<ResolvedRedis['source'], string> = {
  env: 'from REDIS_URL',
  local: 'already running on this machine',
  spawned: 'started by Jiesu, its data in DATA_DIR/redis',
};

export function startSummary(s: StartSummaryInput): string {
  const { config } = s;
  const token = config.adminTokenGenerated
    ? `${config.adminToken}   (made for this run; set ADMIN_TOKEN to keep one)`
    : config.adminToken
      ? 'set by ADMIN_TOKEN'
      : 'none (set ADMIN_TOKEN or ADMIN_USERS to log in)';
  // A Redis that was already running may hold other data: say under which prefix ours lives.
  const prefix = s.redis.source === 'spawned' ? '' : `, keys under ${config.queuePrefix}:*`;
  const database = s.databaseKind === 'postgres' ? `PostgreSQL ${redactUrl(config.databaseUrl ?? '')}` : `embedded PostgreSQL (PGlite) in ${config.dataDir}/pglite`;
  const rows: [string, string][] = [
    ['Citizens (demo page)', `${s.url}/`],
    ['Staff console', `${s.url}/admin`],
    ['Admin token', token],
    ['Redis', `${redactUrl(s.redis.url)} (${REDIS_SOURCE[s.redis.source]}${prefix})`],
    ['Tickets', database],
    ['Queue workers', config.runWorkers ? 'in this process' : 'separate `jiesu worker` processes (RUN_WORKERS=0)'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['', 'Jiesu is running.', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), 'Stop it with Ctrl-C.', ''].join('\n');
}
