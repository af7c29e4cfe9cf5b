// BM25F over a few weighted fields per document (an entry's questions, topic, answer): each field keeps its
// own length normalization, the weighted term frequencies are summed, then saturated once. Postings hold
// the precomputed pseudo-frequency, so a query costs one pass over the postings of its terms.
import type { Terms } from './analyzer.js';

export interface FieldSpec { name: string; weight: number; b: number }

const K1 = 1.2;

export class Bm25Index {
  private readonly postings = new Map<string, { docs: Int32Array; tf: Float64Array }>();
  private docCount = 0;
  private idfCache = new Map<string, number>();

  constructor(private readonly fields: FieldSpec[]) {}

  /** docs[i][f] are the terms of field f of document i. */
  build(docs: Terms[][]): void {
    this.docCount = docs.length;
    const avgLen = this.fields.map((_, f) => {
      let total = 0;
      for (const d of docs) for (const v of d[f].values()) total += v;
      return total / Math.max(1, docs.length) || 1;
    });
    const building = new Map<string, { docs: number[]; tf: number[] }>();
    docs.forEach((doc, id) => {
      const pseudo = new Map<string, number>();
      this.fields.forEach((spec, f) => {
        let len = 0;
        for (const v of doc[f].values()) len += v;
        const norm = 1 - spec.b + spec.b * (len / avgLen[f]);
        for (const [term, tf] of doc[f]) pseudo.set(term, (pseudo.get(term) ?? 0) + (spec.weight * tf) / norm);
      });
      for (const [term, tf] of pseudo) {
        let p = building.get(term);
        if (!p) { p = { docs: [], tf: [] }; building.set(term, p); }
        p.docs.push(id);
        p.tf.push(tf);
      }
    });
    // Typed arrays: a query walks every posting of its terms, and these are read without element-kind checks.
    this.postings.clear();
    for (const [term, p] of building) this.postings.set(term, { docs: Int32Array.from(p.docs), tf: Float64Array.from(p.tf) });
    this.idfCache.clear();
  }

  get size(): number {
    return this.docCount;
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  /** Robertson–Spärck Jones idf, floored at a small positive value for terms in most documents. */
  idf(term: string): number {
    let v = this.idfCache.get(term);
    if (v === undefined) {
      const df = this.postings.get(term)?.docs.length ?? 0;
      v = Math.max(0.05, Math.log(1 + (this.docCount - df + 0.5) / (df + 0.5)));
      this.idfCache.set(term, v);
    }
    return v;
  }

  /**
   * Scores of every document with at least one query term, into `acc` (length = size). Which documents may be
   * returned is left to the caller, which reads `acc` once anyway.
   */
  score(query: Terms, acc: Float64Array): void {
    acc.fill(0);
    for (const [term, qw] of query) {
      const p = this.postings.get(term);
      if (!p) continue;
      const w = qw * this.idf(term);
      for (let i = 0; i < p.docs.length; i++) {
        const tf = p.tf[i];
        acc[p.docs[i]] += (w * tf * (K1 + 1)) / (K1 + tf);
      }
    }
  }

  /** Which query terms a document contains. */
  matched(query: Terms, doc: number): string[] {
    const out: string[] = [];
    for (const term of query.keys()) {
      const p = this.postings.get(term);
      if (p && binaryHas(p.docs, doc)) out.push(term);
    }
    return out;
  }
}

function binaryHas(sorted: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === x) return true;
    if (sorted[mid] < x) lo = mid + 1; else hi = mid - 1;
  }
  return false;
}
