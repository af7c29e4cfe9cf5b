// FAQ retrieval: BM25F over each entry's questions (weighted most), topic and answer, restricted to entries
// in the message's language. Besides the ranking it measures how much of the message the best entry
// explains (coverage), which is what the calibrated confidence is built from.
import type { Lang } from './decision.js';
import type { KbEntry } from './kb.js';
import { Bm25Index, type FieldSpec } from './bm25.js';
import type { Analyzer, Terms } from './analyzer.js';

const FIELDS: FieldSpec[] = [
  { name: 'questions', weight: 1.0, b: 0.5 },
  { name: 'topic', weight: 0.6, b: 0 },
  { name: 'answer', weight: 0.25, b: 0.75 },
];

export interface Ranked { index: number; raw: number }

export interface SearchResult {
  ranked: Ranked[];
  terms: Terms;
  /** Share of the message's term weight (idf-weighted) that the best entry contains, 0..1. */
  coverage: number;
  /** Share of the message's term weight that the knowledge base knows at all, 0..1. */
  known: number;
}

export class FaqMatcher {
  private readonly index = new Bm25Index(FIELDS);
  private readonly acc: Float64Array;
  /** Per language, 1 for the entries written in it: only those are ranked for a message in that language. */
  private readonly langMasks = new Map<Lang, Uint8Array>();
  /** Every word the questions use: what a homophone typo is corrected towards. */
  readonly questionWords = new Set<string>();
  /** idf given to a message term no entry contains: as rare as it gets. */
  private readonly unknownIdf: number;

  constructor(readonly entries: KbEntry[], private readonly analyzer: Analyzer) {
    const docs = entries.map((e) => [
      this.analyzer.terms(e.questions.join('。'), { repair: false }),
      this.analyzer.terms(e.topic ?? '', { repair: false }),
      this.analyzer.terms(e.answer, { repair: false }),
    ]);
    this.index.build(docs);
    for (const [questions, topic] of docs) {
      for (const term of [...questions.keys(), ...topic.keys()]) if (term.startsWith('w:')) this.questionWords.add(term.slice(2));
    }
    this.acc = new Float64Array(entries.length);
    for (const lang of new Set(entries.map((e) => e.lang))) this.langMasks.set(lang, Uint8Array.from(entries, (e) => (e.lang === lang ? 1 : 0)));
    this.unknownIdf = Math.log(1 + (entries.length + 0.5) / 0.5);
  }

  private inLang(lang: Lang): Uint8Array {
    let mask = this.langMasks.get(lang);
    if (!mask) this.langMasks.set(lang, (mask = new Uint8Array(this.entries.length)));
    return mask;
  }

  search(text: string, lang: Lang, k = 3): SearchResult {
    return this.searchTerms(this.analyzer.terms(text), lang, k);
  }

  /** search() for a message already analysed (Analyzer.terms or tailTerms). */
  searchTerms(terms: Terms, lang: Lang, k = 3): SearchResult {
    this.index.score(terms, this.acc);
    const ranked = topK(this.acc, this.inLang(lang), k);
    let total = 0;
    let known = 0;
    let covered = 0;
    const best = ranked[0] ? new Set(this.index.matched(terms, ranked[0].index)) : new Set<string>();
    for (const [term, qw] of terms) {
      const inKb = this.index.has(term);
      const w = qw * (inKb ? this.index.idf(term) : this.unknownIdf);
      total += w;
      if (inKb) known += w;
      if (best.has(term)) covered += w;
    }
    return { ranked, terms, coverage: total ? covered / total : 0, known: total ? known / total : 0 };
  }
}

/** The k best scores among the allowed documents, best first (the lower index first among equal scores). */
function topK(scores: Float64Array, allowed: Uint8Array, k: number): Ranked[] {
  const out: Ranked[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s <= 0 || (out.length === k && s <= out[k - 1].raw) || !allowed[i]) continue;
    let j = out.length < k ? out.length : k - 1;
    out[j] = { index: i, raw: s };
    while (j > 0 && out[j - 1].raw < s) { [out[j - 1], out[j]] = [out[j], out[j - 1]]; j--; }
  }
  return out;
}
