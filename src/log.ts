// One pino logger for the process. Personal data never reaches a log line: every string that passes through
// the serializers below has phone, ID-card and bank-card numbers masked.
import { pino, type Logger } from 'pino';
import { maskPersonalData } from './core/mask.js';

export type { Logger };

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

/** `level` is the configuration's LOG_LEVEL (`config.logLevel`). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'jiesu' },
    hooks: {
      // Mask interpolated messages too: log.info('from %s', text).
      logMethod(args, method) {
        method.apply(this, args.map((a) => maskDeep(a)) as Parameters<typeof method>);
      },
    },
  });
}
