// The partner systems allowed to post messages (the city's app, an IVR's transcripts, a partner portal),
// from API_PARTNERS: a JSON array of {id, secret, callbackUrl}. Checked once at startup with a clear
// message; the channel is enabled by the variable being set.
import { z } from 'zod';
import { ConfigError } from '../../src/config-schema.js';

export interface Partner {
  /** Sent as X-Jiesu-Partner; part of every message and conversation id, so partners never collide. */
  id: string;
  /** Shared HMAC-SHA256 secret, both directions. */
  secret: string;
  /** Where replies and feedback are POSTed. */
  callbackUrl: string;
}

export interface ApiChannelOptions {
  partners: Map<string, Partner>;
  /** How far X-Jiesu-Timestamp may be from our clock, either way. Default 300 s. */
  replayWindowSeconds: number;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const PartnerSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{1,63}$/, 'must be 2–64 lowercase letters, digits, _ or -'),
    secret: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').max(256),
    callbackUrl: z.string().refine((v) => {
      try {
        const u = new URL(v);
        // Replies carry what citizens wrote: they travel over TLS, except to a test server on this machine.
        return u.protocol === 'https:' || (u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname));
      } catch {
        return false;
      }
    }, 'must be an https:// URL (http:// only for localhost)'),
  })
  .strict();

const PartnersSchema = z
  .array(PartnerSchema)
  .min(1, 'must list at least one partner')
  .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, 'partner ids must be unique');

/** A configuration error like every other (one exit code, one kind of message). */
export class ApiChannelConfigError extends ConfigError {}

/** Undefined when API_PARTNERS is unset or empty; throws naming every problem when it is invalid. */
export function apiOptionsFromEnv(env: NodeJS.ProcessEnv): ApiChannelOptions | undefined {
  const raw = env.API_PARTNERS?.trim();
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ApiChannelConfigError('invalid configuration:\n  API_PARTNERS: is not valid JSON');
  }
  const parsed = PartnersSchema.safeParse(json);
  if (!parsed.success) {
    // Secrets never appear in the message: only paths and rules.
    const lines = parsed.error.issues.map((i) => `  API_PARTNERS${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i.message}`);
    throw new ApiChannelConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const window = Number(env.API_REPLAY_WINDOW_SECONDS || 300);
  if (!Number.isInteger(window) || window < 30 || window > 3600)
    throw new ApiChannelConfigError('invalid configuration:\n  API_REPLAY_WINDOW_SECONDS: must be an integer from 30 to 3600');
  return { partners: new Map(parsed.data.map((p) => [p.id, p])), replayWindowSeconds: window };
}
