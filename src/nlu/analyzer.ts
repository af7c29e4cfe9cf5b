// Turns text into weighted retrieval terms, the same way for knowledge-base entries and for messages:
// homophone repair, synonym folding, jieba words, and character bigrams inside Chinese runs (they carry
// out-of-vocabulary words and near-misses that segmentation cuts differently). English text gives stemmed
// words. Terms are prefixed (w: word, b: bigram, e: English) so the kinds never collide.
import { cut } from './segmenter.js';
import { englishWords } from './english.js';
import type { Synonyms } from './synonyms.js';
import type { HomophoneFixer } from './homophones.js';

export const BIGRAM_WEIGHT = 0.4;

/** Function words and particles: they say how something is asked, not what about. */
const STOP = new Set([
  '的', '了', '吗', '呢', '啊', '吧', '呀', '嘛', '么', '哦', '哈', '嗯', '是', '我', '你', '他', '她', '它', '我们',
  '你们', '他们', '在', '和', '与', '及', '就', '都', '也', '还', '又', '要', '想', '能', '可以', '会', '得', '地',
  '着', '过', '个', '这', '那', '这个', '那个', '有', '请问', '一下', '一个', '给', '把', '被', '让', '从', '到',
  '对', '吧', '呗', '啦', '咯', '么', '请', '您', '自己', '现在', '已经', '不', '没', '是不是', '能不能', '可不可以',
]);

export type Terms = Map<string, number>;

export class Analyzer {
  constructor(private readonly synonyms: Synonyms, private homophones?: HomophoneFixer) {}

  setHomophones(fixer: HomophoneFixer): void {
    this.homophones = fixer;
  }

  /**
   * The text as retrieval sees it: colloquialisms folded, and for messages (`repair`) homophone typos
   * fixed first. Knowledge-base text is the reference spelling and is not repaired.
   */
  canonical(text: string, repair = true): string {
    const fixed = repair && this.homophones ? this.homophones.fix(text) : text;
    return this.synonyms.rewrite(fixed);
  }

  /** Content words of a canonical text's tokens, in order (Chinese via jieba, Latin via the English stemmer). */
  private words(tokens: string[]): string[] {
    const out: string[] = [];
    for (const token of tokens) {
      if (/^[a-z0-9][a-z0-9'.-]*$/i.test(token)) { out.push(...englishWords(token).map((w) => `e:${w}`)); continue; }
      if (!/[\u3400-\u9fff]/.test(token)) continue;
      const word = this.synonyms.word(token);
      if (!STOP.has(word)) out.push(wordTerm(word));
    }
    return out;
  }

  /** Weighted terms of a text; `repair: false` for knowledge-base text (see canonical). */
  terms(text: string, { repair = true }: { repair?: boolean } = {}): Terms {
    const canonical = this.canonical(text, repair);
    return this.termsOf(canonical, cut(canonical));
  }

  /**
   * terms() of the last n of a message's clauses joined by '，', for each n of `counts` (at most
   * clauses.length), from one analysis of all of them. The same as analysing each tail on its own: a clause
   * holds no CLAUSE_END character, so no Han run (homophones), jieba block or bigram spans two clauses, and
   * neither does a colloquialism unless the lexicon has one with clause punctuation (then each tail is
   * analysed on its own, as when jieba does not give each '，' as a token of its own).
   */
  tailTerms(clauses: string[], counts: number[]): Terms[] {
    const whole = clauses.join(CLAUSE_JOIN);
    const canonical = this.canonical(whole);
    const tokens = cut(canonical);
    const charStarts: number[] = [];
    for (let i = canonical.indexOf(CLAUSE_JOIN); i >= 0; i = canonical.indexOf(CLAUSE_JOIN, i + 1)) charStarts.push(i + 1);
    const tokenStarts: number[] = [];
    tokens.forEach((t, i) => { if (t === CLAUSE_JOIN) tokenStarts.push(i + 1); });
    const separators = clauses.length - 1;
    if (this.synonyms.spansClauses || charStarts.length !== separators || tokenStarts.length !== separators) {
      return counts.map((n) => this.terms(clauses.slice(-n).join(CLAUSE_JOIN)));
    }
    return counts.map((n) => {
      const skip = clauses.length - n;
      return skip === 0 ? this.termsOf(canonical, tokens)
        : this.termsOf(canonical.slice(charStarts[skip - 1]), tokens.slice(tokenStarts[skip - 1]));
    });
  }

  /** Word terms (in token order) then bigram terms (in text order) of a canonical text and its jieba tokens. */
  private termsOf(canonical: string, tokens: string[]): Terms {
    const terms: Terms = new Map();
    for (const w of this.words(tokens)) terms.set(w, (terms.get(w) ?? 0) + 1);
    // Bigrams straight from the character codes: no substring is cut out for a bigram seen before.
    for (let i = 0; i + 1 < canonical.length; i++) {
      const a = canonical.charCodeAt(i);
      const b = canonical.charCodeAt(i + 1);
      if (a < HAN_FIRST || a > HAN_LAST || b < HAN_FIRST || b > HAN_LAST) continue;
      const term = bigramTerm(a, b, canonical, i);
      terms.set(term, (terms.get(term) ?? 0) + BIGRAM_WEIGHT);
    }
    return terms;
  }
}

/** Where a message is cut into clauses (a long one may ask in its last two or three). */
export const CLAUSE_END = /[，。！？；,.!?;\s]+/;
/** What a message's clauses are joined with again when some of them are searched on their own. */
const CLAUSE_JOIN = '，';

/**
 * Term strings are interned: every message would otherwise build the same 'w:…' and 'b:…' strings anew, and
 * that garbage is what makes the young-generation collections that show as the matcher's slowest calls. The
 * tables are bounded; past the bound a term is built as before.
 */
const MAX_INTERNED = 200_000;
const HAN_FIRST = 0x3400;
const HAN_LAST = 0x9fff;
const HAN_SPAN = HAN_LAST - HAN_FIRST + 1;
const wordTerms = new Map<string, string>();
/** Keyed by the two characters' codes folded into one small integer (below 2^30, so V8 keeps it unboxed). */
const bigramTerms = new Map<number, string>();

function wordTerm(word: string): string {
  let term = wordTerms.get(word);
  if (term === undefined) {
    term = `w:${word}`;
    if (wordTerms.size < MAX_INTERNED) wordTerms.set(word, term);
  }
  return term;
}

function bigramTerm(a: number, b: number, text: string, at: number): string {
  const key = (a - HAN_FIRST) * HAN_SPAN + (b - HAN_FIRST);
  let term = bigramTerms.get(key);
  if (term === undefined) {
    term = `b:${text.slice(at, at + 2)}`;
    if (bigramTerms.size < MAX_INTERNED) bigramTerms.set(key, term);
  }
  return term;
}
