// Ticket category, from two sources: keyword evidence per category (intents/categories.yaml, our lexicon,
// plus the terms the taxonomy lists under `covers`), and a naive Bayes model trained on the taxonomy's terms,
// the lexicon's plain words, intents/category-examples.yaml and every correction (category-model.ts).
// The keywords decide when they are clear; otherwise the trained model does when it is sure enough — it
// generalizes to wordings the lexicon never listed — and else the ticket is `other`.
import { DEFAULT_CATEGORY, TIER_IDS, type TierId } from './decision.js';
import { taxonomyCategories } from './taxonomy.js';
import { z } from 'zod';
import { readIntentsYaml } from './resources.js';
import { CategoryModel, type CategoryExample } from './category-model.js';

const CategoriesFile = z.object({
  version: z.literal(1),
  minScore: z.number(),
  categories: z.record(z.string(), z.object({ keywords: z.record(z.string(), z.number()) })),
  defaultTier: z.record(z.string(), z.enum(TIER_IDS)),
});
const ExamplesFile = z.object({ version: z.literal(1), examples: z.record(z.string(), z.array(z.string())) });

/** Weight of a term taken from the taxonomy's own description. */
const COVERS_WEIGHT = 1.5;
export const FALLBACK_CATEGORY = DEFAULT_CATEGORY;
/** The trained model decides only when the keywords do not and it is at least this sure. */
export const MODEL_MIN_P = 0.5;

export type CategoryMethod = 'rules' | 'model' | 'combined';

/**
 * A keyword is a regular expression; most are plain words (井盖, 路灯), and for those `lit` holds the word.
 * A complaint is checked against several hundred keywords, so plain words are not tested one by one: they
 * are indexed by their first character, and only those starting with a character of the message are looked
 * for at those places (exactly where text.includes or the regex would find them). The few real patterns are
 * tested as before. The per-category sums are then added up in list order, so they are bit for bit what
 * testing each keyword in turn gave.
 */
interface Keyword { re: RegExp; w: number; lit?: string; index: number }

const REGEX_SYNTAX = /[\\^$.|?*+()[\]{}]/;

export class CategoryClassifier {
  private readonly keywords = new Map<string, Keyword[]>();
  private size = 0;
  private readonly wordsByFirstChar = new Map<string, Keyword[]>();
  private readonly patterns: Keyword[] = [];
  private readonly minScore: number;
  readonly defaultTier: Record<string, TierId>;
  readonly model: CategoryModel;

  constructor(private readonly method: CategoryMethod = 'combined') {
    const lexicon = CategoriesFile.parse(readIntentsYaml('categories.yaml'));
    const taxonomy = { categories: taxonomyCategories() };
    const ids = new Set(taxonomy.categories.map((c) => c.id));
    for (const [id, { keywords }] of Object.entries(lexicon.categories)) {
      if (!ids.has(id)) throw new Error(`categories.yaml: '${id}' is not a category of taxonomy.yaml`);
      this.keywords.set(id, Object.entries(keywords).map(([re, w]) => this.keyword(re, w)));
    }
    for (const c of taxonomy.categories) {
      if (c.id === FALLBACK_CATEGORY) continue;
      const list = this.keywords.get(c.id) ?? [];
      // "管道漏水(供暖)": the part in brackets only says which sense is meant.
      for (const term of c.covers.split('、').map((t) => t.replace(/\(.*?\)|（.*?）/g, '').trim()).filter((t) => t.length >= 2)) {
        list.push(this.keyword(term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), COVERS_WEIGHT));
      }
      this.keywords.set(c.id, list);
    }
    this.minScore = lexicon.minScore;
    this.defaultTier = lexicon.defaultTier;
    const seed: CategoryExample[] = [];
    const examples = ExamplesFile.parse(readIntentsYaml('category-examples.yaml'));
    for (const [category, texts] of Object.entries(examples.examples)) {
      if (!ids.has(category)) throw new Error(`category-examples.yaml: '${category}' is not a category of taxonomy.yaml`);
      for (const text of texts) seed.push({ text, category });
    }
    for (const [category, list] of this.keywords) for (const k of list) if (k.lit) seed.push({ text: k.lit, category, weight: 0.5 });
    this.model = new CategoryModel(seed);
  }

  /** Corrections (a ticket's text and the category staff gave it) become training data at once. */
  train(examples: CategoryExample[]): void {
    this.model.train(examples);
  }

  private keyword(source: string, w: number): Keyword {
    const k: Keyword = { re: new RegExp(source, 'u'), w, index: this.size++ };
    if (source.length && !REGEX_SYNTAX.test(source)) {
      k.lit = source;
      const list = this.wordsByFirstChar.get(source[0]) ?? [];
      list.push(k);
      this.wordsByFirstChar.set(source[0], list);
    } else {
      this.patterns.push(k);
    }
    return k;
  }

  scores(text: string): Map<string, number> {
    const found = new Uint8Array(this.size);
    for (let i = 0; i < text.length; i++) {
      const words = this.wordsByFirstChar.get(text[i]);
      if (words) for (const k of words) if (!found[k.index] && text.startsWith(k.lit!, i)) found[k.index] = 1;
    }
    for (const k of this.patterns) if (k.re.test(text)) found[k.index] = 1;
    const out = new Map<string, number>();
    for (const [id, list] of this.keywords) {
      let s = 0;
      for (const k of list) if (found[k.index]) s += k.w;
      if (s > 0) out.set(id, s);
    }
    return out;
  }

  classify(text: string): string {
    if (this.method === 'model') return this.model.rank(text)[0]?.category ?? FALLBACK_CATEGORY;
    const ruled = this.classifyByRules(text);
    if (this.method === 'rules' || ruled !== FALLBACK_CATEGORY) return ruled;
    const top = this.model.rank(text)[0];
    return top && top.p >= MODEL_MIN_P ? top.category : FALLBACK_CATEGORY;
  }

  classifyByRules(text: string): string {
    let best = FALLBACK_CATEGORY;
    let bestScore = this.minScore - 1e-9;
    for (const [id, s] of this.scores(text)) if (s > bestScore) { best = id; bestScore = s; }
    return best;
  }
}
