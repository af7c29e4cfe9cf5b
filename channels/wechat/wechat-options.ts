// The WeChat official account's settings, read from the environment and checked once at startup. Defaults
// live here and nowhere else. The channel is enabled by WECHAT_TOKEN + WECHAT_APP_ID + WECHAT_APP_SECRET.
import { z } from 'zod';
import { ConfigError } from '../../src/config-schema.js';

export interface WechatOptions {
  /** The Token entered on the official account's server settings page; signs every push. */
  token: string;
  appId: string;
  appSecret: string;
  /** Safe mode (安全模式): pushes arrive AES-encrypted and passive replies go back encrypted. */
  encodingAesKey?: string;
  /** Base URL of the WeChat API; tests point it at a local fake. Default https://api.weixin.qq.com. */
  apiBase: string;
  /** How far a push's timestamp may be from our clock, either way. Default 300 s. */
  replayWindowSeconds: number;
}

const EnvSchema = z.object({
  WECHAT_TOKEN: z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'must be 3–32 letters or digits (as the official account console requires)'),
  WECHAT_APP_ID: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'must look like wx1234567890abcdef'),
  WECHAT_APP_SECRET: z.string().min(16, 'must be the 32-character AppSecret'),
  // 43 characters of base64 without the trailing '='; decodes to a 32-byte AES-256 key.
  WECHAT_ENCODING_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}$/, 'must be the 43-character EncodingAESKey')
    .optional(),
  WECHAT_API_BASE: z
    .string()
    .refine((v) => /^https?:\/\/[^/]+/.test(v), 'must be an http(s) URL')
    .default('https://api.weixin.qq.com'),
  WECHAT_REPLAY_WINDOW_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
});

/** A configuration error like every other (one exit code, one kind of message). */
export class WechatConfigError extends ConfigError {}

/** Undefined when the channel is not configured (no WECHAT_TOKEN); throws with every problem when it is half set. */
export function wechatOptionsFromEnv(env: NodeJS.ProcessEnv): WechatOptions | undefined {
  if (!env.WECHAT_TOKEN && !env.WECHAT_APP_ID && !env.WECHAT_APP_SECRET) return undefined;
  // An empty variable means unset, as everywhere in the gateway's configuration.
  const set = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('WECHAT_') && v !== ''));
  const parsed = EnvSchema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new WechatConfigError(`invalid WeChat configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    token: e.WECHAT_TOKEN,
    appId: e.WECHAT_APP_ID,
    appSecret: e.WECHAT_APP_SECRET,
    ...(e.WECHAT_ENCODING_AES_KEY ? { encodingAesKey: e.WECHAT_ENCODING_AES_KEY } : {}),
    apiBase: e.WECHAT_API_BASE.replace(/\/+$/, ''),
    replayWindowSeconds: e.WECHAT_REPLAY_WINDOW_SECONDS,
  };
}
