// The knowledge base file (YAML, format in ../shared/data/README.md): read, validated with zod, and
// reported with the entry and field at fault, so whoever edits the file knows what to fix.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import type { Lang } from './decision.js';

export interface KbEntry {
  id: string;
  topic?: string;
  questions: string[];
  answer: string;
  lang: Lang;
}

const EntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a slug: lower-case letters, digits, - or _'),
  topic: z.string().min(1).optional(),
  questions: z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'needs at least one question'),
  answer: z.string().trim().min(1, 'must not be empty'),
  lang: z.enum(['zh', 'en']).default('zh'),
}).strict();

const KbSchema = z.object({
  version: z.literal(1),
  entries: z.array(z.unknown()).min(1, 'needs at least one entry'),
});

export class KbError extends Error {
  constructor(
    file: string,
    readonly detail: string,
  ) {
    super(`knowledge base ${file}: ${detail}`);
    this.name = 'KbError';
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? `field '${issue.path.join('.')}'` : 'entry';
  return `${field}: ${issue.message}`;
}

export function parseKb(text: string, file: string): KbEntry[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new KbError(file, `not valid YAML: ${(err as Error).message}`);
  }
  const top = KbSchema.safeParse(raw);
  if (!top.success) throw new KbError(file, describe(top.error.issues[0]));

  return checkEntries(top.data.entries, file);
}

/** Validates entries that did not come from a file (the database, the console): the same rules as parseKb. */
export function validateKbEntries(entries: unknown[]): KbEntry[] {
  if (!entries.length) throw new KbError('(entries)', 'needs at least one entry');
  return checkEntries(entries, '(entries)');
}

function checkEntries(items: unknown[], file: string): KbEntry[] {
  const entries: KbEntry[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const parsed = EntrySchema.safeParse(item);
    const rawId = (item as { id?: unknown } | null)?.id;
    const label = `entry #${index + 1}${typeof rawId === 'string' ? ` (id '${rawId}')` : ''}`;
    if (!parsed.success) throw new KbError(file, `${label}: ${describe(parsed.error.issues[0])}`);
    const first = seen.get(parsed.data.id);
    if (first !== undefined) throw new KbError(file, `${label}: field 'id': duplicate of entry #${first + 1}`);
    seen.set(parsed.data.id, index);
    entries.push(parsed.data);
  });
  return entries;
}

export async function loadKb(file: string): Promise<KbEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new KbError(file, `cannot read: ${(err as Error).message}`);
  }
  return parseKb(text, file);
}

/** The exchange format (../shared/data/README.md): what `jiesu kb export` writes and parseKb reads back. */
export function formatKb(entries: KbEntry[], header?: string): string {
  const plain = entries.map((e) => ({
    id: e.id,
    ...(e.topic ? { topic: e.topic } : {}),
    questions: e.questions,
    answer: e.answer,
    ...(e.lang && e.lang !== 'zh' ? { lang: e.lang } : {}),
  }));
  const body = stringifyYaml({ version: 1, entries: plain }, { lineWidth: 0 });
  return header ? `${header.split('\n').map((l) => `# ${l}`).join('\n')}\n${body}` : body;
}
