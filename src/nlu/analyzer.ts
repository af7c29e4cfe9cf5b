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

  /** Content words of a canonical text, in order (Chinese via jieba, Latin via the English stemmer). */
  words(canonical: string): string[] {
    const out: string[] = [];
    for (const token of cut(canonical)) {
      if (/^[a-z0-9][a-z0-9'.-]*$/i.test(token)) { out.push(...englishWords(token).map((w) => `e:${w}`)); continue; }
      if (!/[\u3400-\u9fff]/.test(token)) continue;
      const word = this.synonyms.word(token);
      if (!STOP.has(word)) out.push(`w:${word}`);
    }
    return out;
  }

  /** Weighted terms of a text; `repair: false` for knowledge-base text (see canonical). */
  terms(text: string, { repair = true }: { repair?: boolean } = {}): Terms {
    const canonical = this.canonical(text, repair);
    const terms: Terms = new Map();
    for (const w of this.words(canonical)) terms.set(w, (terms.get(w) ?? 0) + 1);
    for (const run of canonical.match(/[\u3400-\u9fff]{2,}/g) ?? []) {
      for (let i = 0; i + 1 < run.length; i++) {
        const b = `b:${run.slice(i, i + 2)}`;
        terms.set(b, (terms.get(b) ?? 0) + BIGRAM_WEIGHT);
      }
    }
    return terms;
  }
}
