// The matcher's shortcuts skip work only where it cannot change the outcome: each is checked against the long
// way on every message of the class fixtures (and the shared dev cases when present), and shown to skip.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCases } from '../../src/nlu/eval.js';
import { normalizeForNlu } from '../../src/nlu/normalize.js';
import { ChitchatDetector } from '../../src/nlu/chitchat.js';
import { Analyzer, CLAUSE_END } from '../../src/nlu/analyzer.js';
import { Synonyms } from '../../src/nlu/synonyms.js';
import { PlaceFinder } from '../../src/nlu/places.js';
import { HomophoneFixer } from '../../src/nlu/homophones.js';
import { charSyllable } from '../../src/nlu/pinyin-reading.js';
import { addUserWords } from '../../src/nlu/segmenter.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const DEV = here('../../../shared/data/cases.dev.jsonl');
const files = ['classes.tune.jsonl', 'classes.heldout.jsonl', 'classes.heldout2.jsonl', 'written-apart.jsonl'].map((f) => here(`./fixtures/${f}`));
const texts = [...files, ...(existsSync(DEV) ? [DEV] : [])].flatMap((f) => readCases(f).map((c) => normalizeForNlu(c.text)));

/** A RegExp that counts how often String.prototype.replace runs it. */
class CountingRegExp extends RegExp {
  runs = 0;
  [Symbol.replace](text: string, replacer: unknown): string {
    this.runs++;
    return super[Symbol.replace](text, replacer as (substring: string, ...args: unknown[]) => string);
  }
}

describe('chitchat: a character nothing can take out means substance', () => {
  const fast = new ChitchatDetector();
  const slow = new ChitchatDetector();
  (slow as unknown as { alphabet: undefined }).alphabet = undefined;

  it('does not run the phrase scanner on such a message', () => {
    const scanner = (fast as unknown as { scanner: RegExp }).scanner;
    const counting = new CountingRegExp(scanner.source, scanner.flags);
    (fast as unknown as { scanner: RegExp }).scanner = counting;
    try {
      expect(fast.detect('我家停水了三天')).toBeUndefined();
      expect(counting.runs).toBe(0);
      expect(fast.detect('你好')).toBe('greeting');
      expect(counting.runs).toBe(1);
    } finally {
      (fast as unknown as { scanner: RegExp }).scanner = scanner;
    }
  });

  it('says what the full scan says for every message, its clauses and its edges', () => {
    expect(texts.length).toBeGreaterThan(100);
    for (const text of texts) {
      for (const piece of [text, ...text.split(/[,.!?;，。！？；\s]+/).filter(Boolean)]) {
        expect(fast.detect(piece), piece).toBe(slow.detect(piece));
      }
      expect(fast.substance(text), text).toBe(slow.substance(text));
    }
  });
});

describe('analyzer: the last clauses analysed once', () => {
  const synonyms = new Synonyms();
  addUserWords([...synonyms.words, ...new PlaceFinder().names()]);
  const analyzer = new Analyzer(synonyms, new HomophoneFixer(synonyms.words));

  it('gives each tail the terms, in the order, that analysing it alone gives', () => {
    let checked = 0;
    for (const text of texts) {
      const clauses = text.split(CLAUSE_END).filter((c) => c.trim());
      if (clauses.length < 3) continue;
      const last = clauses.slice(-Math.min(4, clauses.length));
      const counts = last.map((_, i) => i + 1);
      const tails = analyzer.tailTerms(last, counts);
      counts.forEach((n, i) => {
        const alone = analyzer.terms(last.slice(-n).join('，'));
        expect([...tails[i]], text).toEqual([...alone]);
      });
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('keeps digits, Latin words and a dot inside a clause with their clause', () => {
    const last = ['我在3.5号楼住', 'wifi断了两天', '社保卡丢了怎么补办'];
    const tails = analyzer.tailTerms(last, [1, 2, 3]);
    [1, 2, 3].forEach((n, i) => expect([...tails[i]]).toEqual([...analyzer.terms(last.slice(-n).join('，'))]));
  });
});

describe('homophones: the syllables read from a table', () => {
  it('reads every character as pinyin-pro reads it alone, so fixes are what one lookup at a time gave', async () => {
    const { pinyin } = await import('pinyin-pro');
    const fixer = new HomophoneFixer(['社保卡', '公积金', '进京证']);
    // Every 97th character of the block, polyphonic ones among them (行, 长, 重, 乐 are read as alone).
    const sample = ['行', '长', '重', '乐', '还', '了'];
    for (let c = 0x4e00; c <= 0x9fff; c += 97) sample.push(String.fromCharCode(c));
    for (const ch of sample) expect(charSyllable(ch), ch).toBe(pinyin(ch, { toneType: 'none', type: 'array' })[0]);
    expect(fixer.fix('我的社报卡丢了，公积斤怎么提，进经证')).toBe('我的社保卡丢了，公积金怎么提，进京证');
  });
});
