// All configuration comes from the environment, is validated here once, and is passed down as a typed object.
// Defaults live in this file only, so `npm start` works on a fresh machine with nothing set.
import { z } from 'zod';
import { bool, ConfigError, envWithPrefix, parseEnv, urlWith } from './config-schema.js';
import { resolve, delimiter } from 'node:path';
import proxyaddr from 'proxy-addr';
import { loadChannelConfigs, type ChannelConfigs } from '../channels/config.js';
import { DEFAULT_KB_PATH } from './nlu/resources.js';

export { ConfigError, envWithPrefix, parseEnv, urlWith } from './config-schema.js';

/**
 * Ticket jobs a worker holds at once: two full batches of 100 (src/queue/ticket-worker.ts), one being written
 * while the next fills. With 64 the batches stayed small and one worker fell behind the intake on 2 cores
 * (2,294 tickets/s, 0.79 ms of CPU per ticket in all); with 200 it kept up (2,969–3,454 /s, 0.54–0.63 ms in
 * three full-length tickets runs of `npm run bench` on one machine).
 */
export const DEFAULT_TICKET_CONCURRENCY = 200;

/** TZ_NAME when unset: the hotline's city (Beijing). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: urlWith(['redis:', 'rediss:']).optional(),
  DATABASE_URL: urlWith(['postgres:', 'postgresql:']).optional(),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional(),
  /** Console users, `name:<argon2id PHC string>` separated by `;` or new lines (`npx jiesu hash-password`). */
  ADMIN_USERS: z.string().optional(),
  /** Which proxies' X-Forwarded-* headers are believed: a hop count, or addresses/CIDRs (and loopback,
   *  linklocal, uniquelocal) separated by commas. Unset: none, the client is the socket's peer. */
  TRUST_PROXY: z.string().optional(),
  /** Bearer token that /metrics on the public port requires; without it (and without METRICS_PORT) no metrics. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** A second listener on 127.0.0.1 that serves /metrics alone, without a token. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TZ_NAME: z.string().default(DEFAULT_TIME_ZONE),
  CHROMIUM_PATH: z.string().optional(),
  KB_PATH: z.string().optional(),
  /** Eval cases (JSON Lines) a knowledge-base change is measured on before it is published. */
  KB_EVAL_CASES: z.string().optional(),
  /** Run the BullMQ workers inside the gateway process (the `npm start` default). */
  RUN_WORKERS: bool.default(true),
  /** Origins of the city portal pages allowed to call the web chat API from the browser. */
  CORS_ORIGINS: z.string().default(''),
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('jiesu'),
  /** Ticket jobs a worker holds at once; the worker stores them in batches (src/queue/micro-batcher.ts), so this
   *  bounds the batch size: 64 gives batches of ~20 under load, where a database round trip is shared widely. */
  TICKET_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(DEFAULT_TICKET_CONCURRENCY),
  OUTBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** How long a worker's lock on a job lasts; a SIGKILLed worker's jobs are picked up again after this. */
  /** Unfinished conversations end after this much silence; a half-collected complaint then becomes a ticket. */
  CONVERSATION_TTL_MINUTES: z.coerce.number().min(0.05).max(24 * 60).default(30),
  /** Ask citizens to confirm a complaint's summary before it becomes a ticket (interactive channels). */
  CONFIRM_COMPLAINTS: bool.default(true),
  WORKING_HOURS: z.string().regex(/^\d{1,2}:\d{2}-\d{1,2}:\d{2}$/, 'must look like 08:00-20:00').default('08:00-20:00'),
  /** Messages one sender may send per minute on a channel before being told to slow down. */
  SENDER_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Web chat API requests per minute from one IP address (a portal behind NAT needs room). */
  IP_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Closed tickets lose their personal fields (name, phone, location, address) after this many days. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).optional(),
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Attempts to store a ticket before it becomes a dead letter (capped backoff: 45 ≈ 20 minutes). */
  TICKET_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(45),
  // The external hotline system (issue 4). Without HOTLINE_URL nothing is sent; without HOTLINE_SECRET no
  // callback is accepted.
  HOTLINE_URL: urlWith(['http:', 'https:']).optional(),
  HOTLINE_SECRET: z.string().min(16, 'HOTLINE_SECRET must be at least 16 characters').optional(),
  /** The gateway's address as the hotline system reaches it: tickets sent there carry signed links to their photos. */
  PUBLIC_URL: urlWith(['http:', 'https:']).optional(),
  /** Per-request deadline for POSTs to the hotline. */
  HOTLINE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Attempts before a ticket goes to the dead letters; the delays double from HOTLINE_BACKOFF_MS (2 s … ~17 min). */
  HOTLINE_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  HOTLINE_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
  /** Where overdue alerts go, as `<channel>:<conversation id>` (a channel name, a colon and that channel's id for the conversation); unset = events only. */
  STAFF_ALERT_CHANNEL: z.string().regex(/^[a-z]+:.+$/, 'must look like <channel>:<conversation id>').optional(),
  /** How often the overdue check (and the feedback outbox sweep) runs. */
  OVERDUE_CHECK_MS: z.coerce.number().int().min(1000).max(24 * 3600_000).default(60_000),
  /** How often spikes are looked for (and alerts raised); 0 = never. */
  SPIKE_CHECK_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || (ms >= 1000 && ms <= 24 * 3600_000), 'must be 0 (off) or from 1000 to 86400000')
    .default(300_000),
  /** How often recurring problems are looked for and new tickets proposed for linking to problems; 0 = never. */
  PROBLEM_CHECK_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || (ms >= 1000 && ms <= 7 * 24 * 3600_000), 'must be 0 (off) or from 1000 to 604800000')
    .default(3_600_000),
  // Citizens' photos in S3-compatible storage (MinIO, Ceph, a cloud bucket); unset: the bytes stay in the
  // ticket database. The bucket, endpoint and both keys go together.
  PHOTO_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)').optional(),
  PHOTO_S3_ENDPOINT: urlWith(['http:', 'https:']).optional(),
  PHOTO_S3_REGION: z.string().min(1).default('us-east-1'),
  PHOTO_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  PHOTO_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Prepended to every object key (e.g. `jiesu/photos/`), so one bucket can hold several gateways' pictures. */
  PHOTO_S3_PREFIX: z.string().regex(/^[A-Za-z0-9!_.*'()\/-]*$/, 'may hold only letters, digits and !_.*\'()/-').default(''),
});

const PHOTO_S3_REQUIRED = ['PHOTO_S3_BUCKET', 'PHOTO_S3_ENDPOINT', 'PHOTO_S3_ACCESS_KEY_ID', 'PHOTO_S3_SECRET_ACCESS_KEY'] as const;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  redisUrl?: string;
  databaseUrl?: string;
  adminToken?: string;
  /** True when ADMIN_TOKEN was not set and one was generated for this run (printed at start). */
  adminTokenGenerated: boolean;
  /** Console users from ADMIN_USERS (argon2id password hashes). */
  adminUsers: StaffUser[];
  /** express's `trust proxy`: a hop count or a list of addresses/CIDRs; 0 trusts no proxy. */
  trustProxy: TrustProxy;
  /** /metrics: with `token` on the public port behind that bearer token; with `port` on 127.0.0.1:port. */
  metrics: { token?: string; port?: number };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** An IANA zone: ticket numbers, due times, report days, working hours and the console's dates are in it. */
  timeZone: string;
  /** Chromium for PDF reports; unset: looked up in `searchPath`. */
  chromiumPath?: string;
  /** PATH's directories, where Chromium is looked for. */
  searchPath: string[];
  /** The FAQ knowledge base (KB_PATH, else the one in intents/). */
  kbPath: string;
  /** The eval cases a knowledge-base change is measured on (default: ../shared/data/cases.dev.jsonl when present). */
  kbEvalCases?: string;
  runWorkers: boolean;
  corsOrigins: string[];
  queuePrefix: string;
  ticketConcurrency: number;
  outboundConcurrency: number;
  workerLockMs: number;
  ticketAttempts: number;
  conversationTtlMs: number;
  senderLimitPerMinute: number;
  ipLimitPerMinute: number;
  confirmComplaints: boolean;
  workingHours: string;
  /** Set when HOTLINE_URL is: every new ticket is POSTed there by a `hotline-sync` job. */
  hotline?: { url: string; secret: string; timeoutMs: number; attempts: number; backoffMs: number };
  /** PUBLIC_URL: where signed photo links point (without it tickets go to the hotline without photo links). */
  publicUrl?: string;
  /** Verifies the hotline's callbacks; callbacks are refused without it. */
  hotlineSecret?: string;
  staffAlert?: { channel: string; conversationId: string };
  overdueCheckMs: number;
  /** 0: no scheduled spike check. */
  spikeCheckMs: number;
  /** 0: no scheduled problem check (problem lists). */
  problemCheckMs: number;
  retentionDays?: number;
  /** Set when the PHOTO_S3_* variables are: pictures go to this bucket, the database keeps their metadata. */
  photoS3?: PhotoS3Config;
  /** Each channel's section, parsed by the channel (channels/config.ts); a channel that is off has none. */
  channels: ChannelConfigs;
}


/** A console user from ADMIN_USERS. */
export interface StaffUser {
  name: string;
  /** The password's argon2id hash as a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
  passwordHash: string;
}

const PHC_ARGON2ID = /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const HOW_TO_HASH = 'run `npx jiesu hash-password` (it reads the password from stdin and prints its $argon2id$… hash) and set ADMIN_USERS to name:<that hash>, entries separated by ";" or new lines';

/**
 * ADMIN_USERS: `name:<PHC>` entries separated by `;` or white space (a PHC string holds `$`, `,` and `=` but
 * neither of those), split on the first colon. The old `name:<sha256 hex>` entries are refused: an unsalted
 * fast hash of a password is cracked offline at billions of guesses a second.
 */
function parseAdminUsers(value: string | undefined): StaffUser[] {
  const entries = (value ?? '').split(/[;\s]+/).filter(Boolean);
  const users: StaffUser[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const name = colon > 0 ? entry.slice(0, colon) : '';
    const hash = colon > 0 ? entry.slice(colon + 1) : '';
    const shown = name ? `"${name.slice(0, 64)}"` : 'an entry';
    if (/^[0-9a-f]{64}(,|$)/i.test(hash)) {
      // The old list was comma-separated: name every user in it.
      const names = entry.split(',').map((e) => e.slice(0, Math.max(0, e.indexOf(':'))).slice(0, 64)).filter(Boolean);
      problems.push(`${names.map((n) => `"${n}"`).join(', ')} ${names.length > 1 ? 'have plain SHA-256 hashes, which are' : 'has a plain SHA-256 hash, which is'} no longer accepted; ${HOW_TO_HASH}`);
    }
    else if (!name || name.length > 64 || !PHC_ARGON2ID.test(hash)) problems.push(`${shown} must be name:<argon2id hash>; ${HOW_TO_HASH}`);
    else if (users.some((u) => u.name === name)) problems.push(`${shown} is listed twice`);
    else users.push({ name, passwordHash: hash });
  }
  if (problems.length) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ADMIN_USERS: ${p}`).join('\n')}`);
  return users;
}

/** A hop count (trust that many proxies in front of us) or the proxies' addresses and CIDR ranges. */
export type TrustProxy = number | string[];

/**
 * TRUST_PROXY as express's `trust proxy` takes it. `true` (trust every hop) is refused: then any client could
 * name its own address in X-Forwarded-For and walk past the per-IP limits and the login lockout.
 */
function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = value?.trim() ?? '';
  if (v === '' || v === 'false' || v === 'none') return 0;
  if (/^\d+$/.test(v)) return Number(v);
  if (v === 'true') throw new ConfigError('invalid configuration:\n  TRUST_PROXY: "true" would believe any client\'s X-Forwarded-For; give the number of proxies in front of the gateway (e.g. 1) or their addresses (e.g. 10.0.0.0/8)');
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  try {
    proxyaddr.compile(list);
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n  TRUST_PROXY: ${(err as Error).message} (give a hop count, or addresses/CIDRs and loopback, linklocal, uniquelocal separated by commas)`);
  }
  return list;
}

export interface PhotoS3Config {
  bucket: string;
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  prefix: string;
}

/** All four of bucket, endpoint and keys, or none: a half-set S3 would silently keep pictures in the database. */
function photoS3Of(e: z.infer<typeof EnvSchema>): PhotoS3Config | undefined {
  const missing = PHOTO_S3_REQUIRED.filter((k) => !e[k]);
  if (missing.length === PHOTO_S3_REQUIRED.length) return undefined;
  if (missing.length) throw new ConfigError(`invalid configuration:\n${missing.map((k) => `  ${k}: required when any of ${PHOTO_S3_REQUIRED.join(', ')} is set`).join('\n')}`);
  return { bucket: e.PHOTO_S3_BUCKET!, endpoint: e.PHOTO_S3_ENDPOINT!, region: e.PHOTO_S3_REGION, accessKeyId: e.PHOTO_S3_ACCESS_KEY_ID!, secretAccessKey: e.PHOTO_S3_SECRET_ACCESS_KEY!, prefix: e.PHOTO_S3_PREFIX };
}

/** Reads every variable once (the CLI passes the process's environment); throws ConfigError naming each problem. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // An empty variable (REDIS_URL= in an env file) means "not set", not "invalid".
  const e = parseEnv(EnvSchema, envWithPrefix(env, ''), 'configuration');
  const adminUsers = parseAdminUsers(e.ADMIN_USERS);
  if (e.HOTLINE_URL && !e.HOTLINE_SECRET) throw new ConfigError('invalid configuration:\n  HOTLINE_SECRET: required when HOTLINE_URL is set (tickets are signed with it)');
  const photoS3 = photoS3Of(e);
  try {
    new Intl.DateTimeFormat('en', { timeZone: e.TZ_NAME });
  } catch {
    throw new ConfigError(`invalid configuration:\n  TZ_NAME: unknown time zone ${e.TZ_NAME}`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    redisUrl: e.REDIS_URL,
    databaseUrl: e.DATABASE_URL,
    adminToken: e.ADMIN_TOKEN,
    adminTokenGenerated: false,
    adminUsers,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    metrics: { ...(e.METRICS_TOKEN ? { token: e.METRICS_TOKEN } : {}), ...(e.METRICS_PORT !== undefined ? { port: e.METRICS_PORT } : {}) },
    logLevel: e.LOG_LEVEL,
    timeZone: e.TZ_NAME,
    chromiumPath: e.CHROMIUM_PATH,
    searchPath: (env.PATH ?? '').split(delimiter).filter(Boolean),
    kbPath: e.KB_PATH ?? DEFAULT_KB_PATH,
    kbEvalCases: e.KB_EVAL_CASES,
    runWorkers: e.RUN_WORKERS,
    corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    queuePrefix: e.QUEUE_PREFIX,
    ticketConcurrency: e.TICKET_CONCURRENCY,
    outboundConcurrency: e.OUTBOUND_CONCURRENCY,
    workerLockMs: e.WORKER_LOCK_MS,
    ticketAttempts: e.TICKET_ATTEMPTS,
    ...(e.HOTLINE_URL && e.HOTLINE_SECRET
      ? { hotline: { url: e.HOTLINE_URL, secret: e.HOTLINE_SECRET, timeoutMs: e.HOTLINE_TIMEOUT_MS, attempts: e.HOTLINE_ATTEMPTS, backoffMs: e.HOTLINE_BACKOFF_MS } }
      : {}),
    ...(e.HOTLINE_SECRET ? { hotlineSecret: e.HOTLINE_SECRET } : {}),
    ...(e.PUBLIC_URL ? { publicUrl: e.PUBLIC_URL } : {}),
    ...(e.STAFF_ALERT_CHANNEL
      ? { staffAlert: { channel: e.STAFF_ALERT_CHANNEL.slice(0, e.STAFF_ALERT_CHANNEL.indexOf(':')), conversationId: e.STAFF_ALERT_CHANNEL.slice(e.STAFF_ALERT_CHANNEL.indexOf(':') + 1) } }
      : {}),
    overdueCheckMs: e.OVERDUE_CHECK_MS,
    spikeCheckMs: e.SPIKE_CHECK_MS,
    problemCheckMs: e.PROBLEM_CHECK_MS,
    retentionDays: e.RETENTION_DAYS,
    ...(photoS3 ? { photoS3 } : {}),
    conversationTtlMs: Math.round(e.CONVERSATION_TTL_MINUTES * 60_000),
    senderLimitPerMinute: e.SENDER_LIMIT_PER_MINUTE,
    ipLimitPerMinute: e.IP_LIMIT_PER_MINUTE,
    confirmComplaints: e.CONFIRM_COMPLAINTS,
    workingHours: e.WORKING_HOURS,
    channels: loadChannelConfigs(env),
  };
}

/** A URL for messages and logs, with its password replaced. */
export function redactUrl(u: string): string {
  try {
    const url = new URL(u);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}
