// Editing the knowledge-base file from the console. The file stays the source of truth (it is what is
// reviewed and versioned), so an edit rewrites the YAML document in place — comments and the order of the
// other entries survive — then the whole new text is validated with the NLU's own parser, written atomically
// (temporary file + rename: a crash leaves the old or the new file, never half of one) and the NLU reloaded.
// Edits are serialized in this process; if the reload fails, the old file is put back.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parseDocument, isMap, isSeq, type Document } from 'yaml';
import { parseKb, KbError, type KbEntry } from '../../nlu/kb.js';

export interface KbEdit {
  id: string;
  topic?: string;
  questions: string[];
  answer: string;
  lang?: 'zh' | 'en';
}

export class KbEditError extends Error {
  constructor(
    readonly code: 'invalid' | 'not_found' | 'exists',
    message: string,
  ) {
    super(message);
  }
}

export class KbFile {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly reload: () => Promise<void>,
  ) {}

  async entries(): Promise<KbEntry[]> {
    return parseKb(await readFile(this.path, 'utf8'), this.path);
  }

  /** Creates (`create`) or replaces the entry `edit.id`; `renameFrom` replaces that entry under a new id. */
  upsert(edit: KbEdit, mode: { create: boolean; renameFrom?: string }): Promise<KbEntry> {
    return this.serialized(async () => {
      const text = await readFile(this.path, 'utf8');
      const doc = parseDocument(text);
      const seq = entriesSeq(doc);
      const target = mode.renameFrom ?? edit.id;
      const index = seq.items.findIndex((item) => isMap(item) && item.get('id') === target);
      if (mode.create && index >= 0) throw new KbEditError('exists', `an entry with id '${edit.id}' already exists`);
      if (!mode.create && index < 0) throw new KbEditError('not_found', `no entry with id '${target}'`);
      const node = doc.createNode(clean(edit));
      if (index >= 0) seq.items[index] = node;
      else seq.items.push(node);
      await this.replace(text, doc.toString({ lineWidth: 0 }));
      return (await this.entries()).find((e) => e.id === edit.id)!;
    });
  }

  remove(id: string): Promise<void> {
    return this.serialized(async () => {
      const text = await readFile(this.path, 'utf8');
      const doc = parseDocument(text);
      const seq = entriesSeq(doc);
      const index = seq.items.findIndex((item) => isMap(item) && item.get('id') === id);
      if (index < 0) throw new KbEditError('not_found', `no entry with id '${id}'`);
      seq.items.splice(index, 1);
      await this.replace(text, doc.toString({ lineWidth: 0 }));
    });
  }

  private async replace(oldText: string, newText: string): Promise<void> {
    try {
      parseKb(newText, this.path);
    } catch (err) {
      if (err instanceof KbError) throw new KbEditError('invalid', err.message.replace(`knowledge base ${this.path}: `, ''));
      throw err;
    }
    await atomicWrite(this.path, newText);
    try {
      await this.reload();
    } catch (err) {
      await atomicWrite(this.path, oldText);
      throw new KbEditError('invalid', `the NLU refused the new knowledge base, the old one is kept: ${(err as Error).message}`);
    }
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }
}

function entriesSeq(doc: Document) {
  const seq = doc.get('entries', true);
  if (!isSeq(seq)) throw new KbEditError('invalid', "the knowledge-base file has no 'entries' list");
  return seq;
}

/** Only the fields the format knows, trimmed, empty questions dropped, in the file's usual key order. */
function clean(e: KbEdit): Record<string, unknown> {
  const out: Record<string, unknown> = { id: e.id.trim() };
  if (e.topic?.trim()) out.topic = e.topic.trim();
  out.questions = e.questions.map((q) => q.trim()).filter(Boolean);
  out.answer = e.answer.trim();
  if (e.lang && e.lang !== 'zh') out.lang = e.lang;
  return out;
}

export async function atomicWrite(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}
