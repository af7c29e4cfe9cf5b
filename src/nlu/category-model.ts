// The trained half of the ticket category: multinomial naive Bayes over character bigrams and jieba words,
// trained at start from the taxonomy's `covers` terms and intents/category-examples.yaml, and retrained with
// every category correction (train()). Smoothed with add-α, so a category with few examples still gets a
// probability, and scored in log space.
import { cut } from './segmenter.js';

export interface CategoryExample { text: string; category: string; weight?: number }

const ALPHA = 0.5;

/** Word and character-bigram features of a text (jieba words keep meaning; bigrams catch unseen words). */
export function categoryFeatures(text: string): string[] {
  const out: string[] = [];
  for (const token of cut(text)) if (/[\u3400-\u9fff]/.test(token) || /^[a-z]{3,}$/i.test(token)) out.push(`w:${token.toLowerCase()}`);
  for (const run of text.match(/[\u3400-\u9fff]{2,}/g) ?? []) for (let i = 0; i + 1 < run.length; i++) out.push(`b:${run.slice(i, i + 2)}`);
  return out;
}

interface Model {
  categories: string[];
  logPrior: Float64Array;
  /** log P(feature | category) per feature; unseen features are skipped (they say nothing between categories). */
  logLikelihood: Map<string, Float64Array>;
}

export class CategoryModel {
  private examples: CategoryExample[] = [];
  private model: Model | undefined;

  constructor(seed: CategoryExample[] = []) {
    this.train(seed);
  }

  /** Adds examples (corrections) and retrains; cheap enough to run after each correction. */
  train(examples: CategoryExample[]): void {
    this.examples.push(...examples);
    this.model = fit(this.examples);
  }

  /** Up to n training texts spread over the examples (for warming up). */
  sampleTexts(n: number): string[] {
    const step = Math.max(1, Math.floor(this.examples.length / n));
    const out: string[] = [];
    for (let i = 0; i < this.examples.length && out.length < n; i += step) out.push(this.examples[i].text);
    return out;
  }

  get size(): number {
    return this.examples.length;
  }

  /** Categories by posterior probability, best first. */
  rank(text: string): { category: string; p: number }[] {
    const m = this.model;
    if (!m || !m.categories.length) return [];
    const scores = Float64Array.from(m.logPrior);
    for (const f of categoryFeatures(text)) {
      const ll = m.logLikelihood.get(f);
      if (ll) for (let c = 0; c < scores.length; c++) scores[c] += ll[c];
    }
    const max = Math.max(...scores);
    let total = 0;
    const exp = Array.from(scores, (s) => { const e = Math.exp(s - max); total += e; return e; });
    return m.categories.map((category, c) => ({ category, p: exp[c] / total })).sort((a, b) => b.p - a.p);
  }
}

function fit(examples: CategoryExample[]): Model {
  const categories = [...new Set(examples.map((e) => e.category))].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const docCount = new Float64Array(categories.length);
  const featureTotal = new Float64Array(categories.length);
  const counts = new Map<string, Float64Array>();
  for (const e of examples) {
    const c = index.get(e.category)!;
    const w = e.weight ?? 1;
    docCount[c] += w;
    for (const f of categoryFeatures(e.text)) {
      let row = counts.get(f);
      if (!row) { row = new Float64Array(categories.length); counts.set(f, row); }
      row[c] += w;
      featureTotal[c] += w;
    }
  }
  const vocabulary = counts.size;
  const docs = docCount.reduce((a, b) => a + b, 0);
  const logPrior = Float64Array.from(docCount, (n) => Math.log((n + ALPHA) / (docs + ALPHA * categories.length)));
  const logLikelihood = new Map<string, Float64Array>();
  for (const [f, row] of counts) {
    logLikelihood.set(f, Float64Array.from(row, (n, c) => Math.log((n + ALPHA) / (featureTotal[c] + ALPHA * vocabulary))));
  }
  return { categories, logPrior, logLikelihood };
}
