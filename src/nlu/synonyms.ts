// The colloquialism lexicon (intents/synonyms.yaml): folds what people type (社会保障卡, 找不着, 娃) to one
// canonical word so that a paraphrase meets the knowledge base's wording. Applied identically to the
// knowledge base at index time and to each message, so the two always agree.
import { z } from 'zod';
import { readIntentsYaml } from './resources.js';

const SynonymsFile = z.object({
  version: z.literal(1),
  groups: z.record(z.string(), z.array(z.union([z.string(), z.number()]).transform(String))),
});

export class Synonyms {
  /** Multi-character variants, longest first in one alternation: replaced anywhere in the text. */
  private readonly phrases: RegExp;
  private readonly canonicalOf = new Map<string, string>();
  /** Single-character variants: replaced only when segmented as a word of their own (娃, 咋). */
  private readonly singles = new Map<string, string>();
  readonly words: string[] = [];
  /**
   * Whether a variant or its canonical word holds clause punctuation or a space: then rewriting a message is
   * not rewriting each of its clauses (Analyzer.tailTerms).
   */
  readonly spansClauses: boolean;

  constructor(file = 'synonyms.yaml') {
    const { groups } = SynonymsFile.parse(readIntentsYaml(file));
    for (const [canonicalRaw, variants] of Object.entries(groups)) {
      const canonical = canonicalRaw.toLowerCase();
      this.words.push(canonical);
      for (const raw of variants) {
        const variant = raw.toLowerCase();
        this.words.push(variant);
        if ([...variant].length === 1) this.singles.set(variant, canonical);
        else this.canonicalOf.set(variant, canonical);
      }
    }
    this.spansClauses = [...this.canonicalOf].some(([v, c]) => /[，。！？；,.!?;\s]/.test(v + c));
    const alternatives = [...this.canonicalOf.keys()].sort((a, b) => b.length - a.length);
    this.phrases = new RegExp(alternatives.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  }

  /** Leftmost-longest replacement of multi-character variants, one pass (no chains). */
  rewrite(text: string): string {
    return text.replace(this.phrases, (variant) => this.canonicalOf.get(variant) ?? variant);
  }

  /** The canonical form of one segmented word. */
  word(token: string): string {
    return this.singles.get(token) ?? token;
  }
}
