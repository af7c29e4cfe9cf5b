// The Telegram adapter's settings, read from the environment and validated once. The adapter is enabled by
// TELEGRAM_BOT_TOKEN; with TELEGRAM_WEBHOOK_URL it runs as a webhook, otherwise it long-polls getUpdates.
import { z } from 'zod';
import { envWithPrefix, parseEnv, urlWith } from '../../src/config-schema.js';

export const TELEGRAM_WEBHOOK_PATH = '/api/channels/telegram/webhook';

const httpUrl = urlWith;

const TelegramEnvSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456789:AA… (from @BotFather)'),
    /** Where the Bot API lives; tests point it at a local fake. */
    TELEGRAM_API_ROOT: httpUrl(['https:', 'http:']).default('https://api.telegram.org'),
    /** The public HTTPS URL (Telegram requires HTTPS) it posts updates to (ending in TELEGRAM_WEBHOOK_PATH). Unset: long polling. */
    TELEGRAM_WEBHOOK_URL: httpUrl(['https:']).optional(),
    /** Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token; Telegram allows 1–256 of A-Z a-z 0-9 _ -. */
    TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 letters, digits, _ or -').optional(),
    /** Long-poll wait per getUpdates call, in seconds. */
    TELEGRAM_POLL_TIMEOUT_S: z.coerce.number().int().min(0).max(50).default(25),
  })
  .refine((e) => !e.TELEGRAM_WEBHOOK_URL || e.TELEGRAM_WEBHOOK_SECRET, {
    message: 'TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL (every webhook request is checked against it)',
    path: ['TELEGRAM_WEBHOOK_SECRET'],
  });

export interface TelegramConfig {
  token: string;
  apiRoot: string;
  /** Present in webhook mode, with the secret every request must carry. */
  webhook?: { url: string; secret: string };
  pollTimeoutSeconds: number;
}

/**
 * The adapter's configuration; undefined when no TELEGRAM_* variable is set (the channel is off). Throws with
 * every problem when it is half set. Empty values count as unset, as .env files and compose files write them.
 */
export function loadTelegramConfig(env: NodeJS.ProcessEnv): TelegramConfig | undefined {
  const vars = envWithPrefix(env, 'TELEGRAM_');
  if (!vars.TELEGRAM_BOT_TOKEN && !vars.TELEGRAM_WEBHOOK_URL && !vars.TELEGRAM_WEBHOOK_SECRET) return undefined;
  const e = parseEnv(TelegramEnvSchema, vars, 'Telegram configuration');
  return {
    token: e.TELEGRAM_BOT_TOKEN,
    apiRoot: e.TELEGRAM_API_ROOT,
    ...(e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET ? { webhook: { url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET } } : {}),
    pollTimeoutSeconds: e.TELEGRAM_POLL_TIMEOUT_S,
  };
}
