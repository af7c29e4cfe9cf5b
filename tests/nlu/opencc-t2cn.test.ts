// normalize.ts converts with opencc-js's t2cn build, which leaves out the dictionaries of conversions away from
// simplified: it must convert exactly as the full build, for every character of the CJK blocks and every
// phrase of OpenCC's dictionaries (an opencc-js upgrade that changed the builds apart fails here).
import { describe, expect, it } from 'vitest';
import * as Full from 'opencc-js';
import * as T2cn from 'opencc-js/t2cn';
import { normalizeForNlu } from '../../src/nlu/normalize.js';

const DICTIONARIES = ['TSPhrases', 'TSCharacters', 'HKVariantsRevPhrases', 'HKVariantsRev', 'HKPhrasesRev', 'TWPhrasesRev', 'TWVariantsRevPhrases', 'TWVariantsRev', 'STPhrases', 'CJK_Compatibility_Ideographs'];

describe('opencc-js t2cn build', () => {
  it('converts traditional to simplified as the full build does', async () => {
    const full = Full.Converter({ from: 't', to: 'cn' });
    const t2cn = T2cn.Converter({ from: 't', to: 'cn' });
    const texts: string[] = [];
    let block = '';
    for (let c = 0x3400; c <= 0x9fff; c++) block += String.fromCharCode(c);
    texts.push(block);
    for (const name of DICTIONARIES) {
      const dict = ((await import(`opencc-js/dict/${name}`)) as { default: string | [string, string][] }).default;
      for (const entry of typeof dict === 'string' ? dict.split('|') : dict.map((pair) => pair.join(' '))) texts.push(...entry.split(' '));
    }
    const differing = texts.filter((t) => t2cn(t) !== full(t));
    expect(differing.slice(0, 10)).toEqual([]);
    expect(texts.length).toBeGreaterThan(100_000);
    expect(normalizeForNlu('社會保障卡遺失了請問掛失要去哪裡辦')).toBe(full('社會保障卡遺失了請問掛失要去哪裡辦').toLowerCase());
  });
});
