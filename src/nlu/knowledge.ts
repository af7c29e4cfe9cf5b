// One loaded knowledge base: its entries, their lookup by id, and the retrieval index over them. Built
// whole and swapped whole, so a reload that fails leaves the previous one serving.
import { normalizeForNlu } from './normalize.js';
import { loadKb, type KbEntry } from './kb.js';
import { FaqMatcher } from './matcher.js';
import type { Analyzer } from './analyzer.js';

export class Knowledge {
  readonly byId: Map<string, KbEntry>;
  readonly matcher: FaqMatcher;

  constructor(readonly entries: KbEntry[], analyzer: Analyzer) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
    this.matcher = new FaqMatcher(entries.map(normalizedEntry), analyzer);
  }

  static async load(file: string, analyzer: Analyzer): Promise<Knowledge> {
    return new Knowledge(await loadKb(file), analyzer);
  }

  /** The words the entries' questions are written in: what a homophone typo is corrected towards. */
  vocabulary(): Set<string> {
    return new Set(this.matcher.questionWords);
  }
}

/** One normalization call per entry (its texts joined by newlines): OpenCC's per-call cost dominates. */
function normalizedEntry(e: KbEntry): KbEntry {
  const oneLine = (t: string) => t.replace(/\s+/g, ' ');
  const texts = normalizeForNlu([e.topic ?? '', e.answer, ...e.questions].map(oneLine).join('\n')).split('\n');
  const [topic, answer, ...questions] = texts;
  return { ...e, topic: topic || undefined, answer, questions };
}
