// The building blocks every configuration section is read with (the core's variables in ./config.ts, each
// channel's in channels/<name>/): one error type, which every command turns into exit code 2, and one way to
// word a bad variable. A leaf module, so channel sections can use it while ./config.ts gathers them.
import { z } from 'zod';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

export const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** A string that parses as a URL with one of these protocols ('https:', 'redis:' …). */
export const urlWith = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`);

/** The variables starting with `prefix` (a channel's section); an empty one means unset, as everywhere here. */
export function envWithPrefix(env: NodeJS.ProcessEnv, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith(prefix) && e[1] !== undefined && e[1] !== ''));
}

/**
 * One schema problem as a sentence a person setting variables can act on ("PORT: must be a number, got \"abc\""),
 * instead of the schema library's wording ("Invalid input: expected number, received NaN").
 */
function plainIssue(issue: z.core.$ZodIssue, vars: Record<string, string | undefined>): string {
  const given = vars[String(issue.path[0])];
  const got = given === undefined ? '' : `, got "${given.length > 60 ? `${given.slice(0, 60)}…` : given}"`;
  const i = issue as z.core.$ZodIssue & { expected?: string; values?: unknown[]; minimum?: number | bigint; maximum?: number | bigint; format?: string; origin?: string };
  switch (i.code) {
    case 'invalid_type':
      if (given === undefined) return 'is required';
      return i.expected === 'number' ? `must be a number${got}` : i.expected === 'int' ? `must be a whole number${got}` : `${i.message}${got}`;
    case 'invalid_value':
      return `must be one of ${(i.values ?? []).map(String).join(', ')}${got}`;
    case 'too_small':
      return i.origin === 'string' ? `must not be shorter than ${i.minimum} characters` : `must be at least ${i.minimum}${got}`;
    case 'too_big':
      return i.origin === 'string' ? `must not be longer than ${i.maximum} characters` : `must be at most ${i.maximum}${got}`;
    case 'invalid_format':
      return i.format === 'url' ? `must be a URL such as https://host/path${got}` : `${i.message}${got}`;
    default:
      return i.message;
  }
}

/** Validates variables against a schema; every problem is listed, each with its variable, in one ConfigError. */
export function parseEnv<S extends z.ZodType>(schema: S, vars: Record<string, string | undefined>, what: string): z.infer<S> {
  const parsed = schema.safeParse(vars);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${plainIssue(i, vars)}`);
  throw new ConfigError(`invalid ${what}:\n${lines.join('\n')}`);
}

