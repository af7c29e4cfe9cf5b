// The Slack adapter's settings, read from the environment and validated once. SLACK_BOT_TOKEN and
// SLACK_SIGNING_SECRET together enable it; setting only one is an error, not a silently missing channel.
import { z } from 'zod';
import { envWithPrefix, parseEnv } from '../../src/config.js';

const EnvSchema = z.object({
  /** The bot user OAuth token (OAuth & Permissions page). */
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-[A-Za-z0-9-]{10,}$/, 'must be a bot token starting with xoxb-'),
  /** Basic Information → App Credentials → Signing Secret; signs every request Slack sends (Bolt checks it). */
  SLACK_SIGNING_SECRET: z.string().regex(/^[a-f0-9]{16,128}$/i, 'must be the hex Signing Secret from the app settings'),
  /** Web API base; tests point it at a local fake. Must end with a slash, which is added when missing. */
  SLACK_API_URL: z
    .string()
    .refine((v) => /^https?:\/\/[^/]+/.test(v), 'must be an http(s) URL')
    .transform((v) => (v.endsWith('/') ? v : `${v}/`))
    .default('https://slack.com/api/'),
  /** Channel id (C…/G…) where staff alerts go; staff alerts are off without it. */
  SLACK_STAFF_CHANNEL: z.string().regex(/^[CG][A-Z0-9]{6,}$/, 'must be a channel id like C0123456789').optional(),
  /** The slash command as configured in the app (Slash Commands page). */
  SLACK_COMMAND: z.string().regex(/^\/[\w-]{1,31}$/u, 'must look like /12345').default('/12345'),
});

export interface SlackConfig {
  token: string;
  signingSecret: string;
  apiUrl: string;
  staffChannel?: string;
  command: string;
}

/** Undefined when no SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET is set; throws with every problem when half set. */
export function loadSlackConfig(env: NodeJS.ProcessEnv): SlackConfig | undefined {
  const vars = envWithPrefix(env, 'SLACK_');
  if (!vars.SLACK_BOT_TOKEN && !vars.SLACK_SIGNING_SECRET) return undefined;
  const e = parseEnv(EnvSchema, vars, 'Slack configuration');
  return {
    token: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    apiUrl: e.SLACK_API_URL,
    ...(e.SLACK_STAFF_CHANNEL ? { staffChannel: e.SLACK_STAFF_CHANNEL } : {}),
    command: e.SLACK_COMMAND,
  };
}
