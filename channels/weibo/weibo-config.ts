// The Weibo adapter's settings, read from the environment and validated once (defaults live here only).
// WEIBO_ACCESS_TOKEN enables the channel; everything else has a default, so a half-set configuration fails
// at startup with every problem listed instead of polling with a wrong value.
import { z } from 'zod';
import { ConfigError, envWithPrefix, parseEnv, urlWith } from '../../src/config-schema.js';

export const WEIBO_PUSH_PATH = '/api/channels/weibo/push';

const httpUrl = urlWith(['https:', 'http:']);

const WeiboEnvSchema = z.object({
  /** OAuth2 access token of the hotline's official account (sent as access_token on every call). */
  WEIBO_ACCESS_TOKEN: z.string().min(8, 'must be the account access token from open.weibo.com'),
  /** Where the Open API v2 lives; tests point it at a local fake. */
  WEIBO_API_BASE: httpUrl.default('https://api.weibo.com/2/'),
  /** Verifies the fan-service message push (private messages). Unset: the push endpoint refuses everything. */
  WEIBO_APP_SECRET: z.string().min(8, 'must be the app secret (App Secret) of the Weibo app').optional(),
  /** The account's own uid: its own posts and comments are never answered. */
  WEIBO_ACCOUNT_UID: z.string().regex(/^\d{1,20}$/, 'must be the numeric uid').optional(),
  /** Shortest time between two polls; the hourly budget may stretch it. */
  WEIBO_POLL_MS: z.coerce.number().int().min(200).max(3_600_000).default(60_000),
  /** Calls per hour the account may make (Weibo's per-user limit); half is kept for replies. */
  WEIBO_HOURLY_LIMIT: z.coerce.number().int().min(4).max(10_000_000).default(150),
  /** First wait after a failed poll; doubles per failure up to WEIBO_BACKOFF_MAX_MS. */
  WEIBO_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  WEIBO_BACKOFF_MAX_MS: z.coerce.number().int().min(10).max(6 * 3_600_000).default(15 * 60_000),
  /** The `rip` parameter comments require: the public IP of the server that comments on the account's behalf. */
  WEIBO_RIP: z.string().regex(/^[0-9a-fA-F:.]{3,45}$/, 'must be an IP address').default('127.0.0.1'),
  /** On the very first poll (no cursor yet) mentions older than this are skipped, not answered. */
  WEIBO_BACKFILL_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
});

export interface WeiboConfig {
  accessToken: string;
  /** Always ends with '/', so `new URL('statuses/mentions.json', apiBase)` keeps the /2/ path. */
  apiBase: string;
  appSecret?: string;
  accountUid?: string;
  pollMs: number;
  hourlyLimit: number;
  backoffMs: { min: number; max: number };
  rip: string;
  backfillMs: number;
}

/** The share of the hourly budget polling may use; the rest is kept for replies. */
export const POLL_BUDGET_SHARE = 0.5;
/** API calls one poll costs when nothing is waiting (statuses and comments, one page each). */
export const CALLS_PER_POLL = 2;

/** The interval actually used: WEIBO_POLL_MS, stretched so polling stays within its share of the budget. */
export function effectivePollMs(config: Pick<WeiboConfig, 'pollMs' | 'hourlyLimit'>): number {
  const pollsPerHour = (config.hourlyLimit * POLL_BUDGET_SHARE) / CALLS_PER_POLL;
  return Math.max(config.pollMs, Math.ceil(3_600_000 / pollsPerHour));
}

/** Undefined when no WEIBO_* variable is set (the channel is off); throws with every problem when half set. */
export function loadWeiboConfig(env: NodeJS.ProcessEnv): WeiboConfig | undefined {
  const vars = envWithPrefix(env, 'WEIBO_');
  if (!vars.WEIBO_ACCESS_TOKEN) {
    if (Object.keys(vars).length === 0) return undefined;
    throw new ConfigError(`invalid Weibo configuration:\n  WEIBO_ACCESS_TOKEN: required when ${Object.keys(vars).join(', ')} is set`);
  }
  const e = parseEnv(WeiboEnvSchema, vars, 'Weibo configuration');
  if (e.WEIBO_BACKOFF_MAX_MS < e.WEIBO_BACKOFF_MS) throw new ConfigError('invalid Weibo configuration:\n  WEIBO_BACKOFF_MAX_MS: must not be below WEIBO_BACKOFF_MS');
  return {
    accessToken: e.WEIBO_ACCESS_TOKEN,
    apiBase: e.WEIBO_API_BASE.endsWith('/') ? e.WEIBO_API_BASE : `${e.WEIBO_API_BASE}/`,
    ...(e.WEIBO_APP_SECRET ? { appSecret: e.WEIBO_APP_SECRET } : {}),
    ...(e.WEIBO_ACCOUNT_UID ? { accountUid: e.WEIBO_ACCOUNT_UID } : {}),
    pollMs: e.WEIBO_POLL_MS,
    hourlyLimit: e.WEIBO_HOURLY_LIMIT,
    backoffMs: { min: e.WEIBO_BACKOFF_MS, max: e.WEIBO_BACKOFF_MAX_MS },
    rip: e.WEIBO_RIP,
    backfillMs: Math.round(e.WEIBO_BACKFILL_HOURS * 3_600_000),
  };
}
