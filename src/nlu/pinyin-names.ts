// Place names as people write them in English: the pinyin of the Chinese name without tones, the way Beijing's
// road signs and maps spell it ("Sanlitun", "Jiaodaokou Subdistrict", "Nanluoguxiang"), run together or split
// by syllable ("san li tun", "San-li-tun"). A foreign resident reporting a problem names the area so, and the
// ticket should reach that street office just as for 三里屯.
import { nameSyllables } from './pinyin-reading.js';

/** What a name was followed by: the words for a street office or township, a road or bridge, or neither. */
export type NameContext = 'office' | 'road' | 'bare';

export interface PinyinHit<T> {
  value: T;
  context: NameContext;
}

/**
 * After the name: the English for 街道/地区/镇/乡. Official translations use Subdistrict, Area, Town and
 * Township, but 街道 is as often rendered "Street" (our own prompts do: "Lugouqiao Street, Fengtai District"),
 * so "Street" counts as the office; a road says Road, Avenue, Lu or Dajie.
 */
const OFFICE_WORDS = 'subdistrict|sub-district|area|town|township|street|jiedao';
const OFFICE_AFTER = new RegExp(`^(?:${OFFICE_WORDS})\\b`);
/** After the name: a road, bridge, gate or river named after the place, not the street office. */
const ROAD_AFTER = /^(?:road|rd|avenue|ave|boulevard|lu|jie|dajie|bridge|qiao|gate|men|hutong|lane|alley|expressway|ring|river|he|station|subway)\b/;
/** Syllables a written name may be split into: at most this many words make one name. */
const MAX_PARTS = 5;

/** The toneless syllables of a Chinese name, letters only: 三里屯 → san, li, tun. */
function syllablesOf(chinese: string): string[] {
  return nameSyllables(chinese)
    .map((x) => x.toLowerCase().replace(/[^a-z]/g, ''))
    .filter(Boolean);
}

/** The toneless pinyin of a Chinese name, letters only: 三里屯 → sanlitun. */
export function pinyinKey(chinese: string): string {
  return syllablesOf(chinese).join('');
}

/** How the official English of Beijing's divisions renders their suffixes. */
const SUFFIX_IN_ENGLISH: [RegExp, string][] = [
  [/(?:满族乡|回族乡|乡)$/, 'Township'],
  [/街道$/, 'Subdistrict'],
  [/地区$/, 'Area'],
  [/镇$/, 'Town'],
  [/区$/, 'District'],
];

/** A division's name split into its base and the English of its suffix: 三里屯街道 → 三里屯, Subdistrict. */
export function splitSuffix(chinese: string): { base: string; english?: string } {
  const suffix = SUFFIX_IN_ENGLISH.find(([re]) => re.test(chinese));
  return suffix ? { base: chinese.replace(suffix[0], ''), english: suffix[1] } : { base: chinese };
}

/** A district's or street's name as its English signs write it: 朝阳区 → Chaoyang District, 三里屯街道 → Sanlitun Subdistrict. */
export function pinyinPlaceName(chinese: string): string {
  const { base, english } = splitSuffix(chinese);
  const key = pinyinKey(base);
  const name = key.charAt(0).toUpperCase() + key.slice(1);
  return english ? `${name} ${english}` : name;
}

/**
 * `text` without the name written in pinyin, with or without its suffix word ("Wangjing Street",
 * "wang-jing", "Chaoyang District"): what is left of a reply once the place it named has been recognized.
 */
export function withoutPinyinName(text: string, chinese: string): string {
  const syllables = syllablesOf(splitSuffix(chinese).base);
  if (!syllables.length) return text;
  const name = new RegExp(`\\b${syllables.join('[\\s-]?')}\\b(?:\\s+(?:${OFFICE_WORDS}|district))?`, 'gi');
  return text.replace(name, '');
}

export class PinyinNames<T> {
  private readonly byKey = new Map<string, T>();

  /** `values` keyed by their pinyin; names that read the same (homophones) are combined by `merge`. */
  constructor(entries: Iterable<[chinese: string, value: T]>, merge: (first: T, next: T) => T) {
    for (const [chinese, value] of entries) {
      const key = pinyinKey(chinese);
      if (!key) continue;
      const first = this.byKey.get(key);
      this.byKey.set(key, first === undefined ? value : merge(first, value));
    }
  }

  /**
   * Names in `text` (already lowercased), leftmost-longest over runs of words joined by a space or a hyphen,
   * each with what follows it. Only whole words match: "anzhen" is not found inside "sanzhenxyz".
   */
  scan(text: string): PinyinHit<T>[] {
    if (!/[a-z]{3}/.test(text)) return [];
    const words = [...text.matchAll(/[a-z]+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
    const hits: PinyinHit<T>[] = [];
    for (let i = 0; i < words.length; ) {
      let found: { value: T; last: number } | undefined;
      let joined = '';
      for (let j = i; j < Math.min(words.length, i + MAX_PARTS); j++) {
        // Syllables of one name are separated by one space or hyphen at most.
        if (j > i && !/^[ -]$/.test(text.slice(words[j - 1].end, words[j].start))) break;
        joined += words[j].text;
        const value = this.byKey.get(joined);
        if (value !== undefined) found = { value, last: j };
      }
      if (!found) {
        i++;
        continue;
      }
      const after = text.slice(words[found.last].end).replace(/^[\s-]*/, '').slice(0, 24);
      hits.push({ value: found.value, context: OFFICE_AFTER.test(after) ? 'office' : ROAD_AFTER.test(after) ? 'road' : 'bare' });
      i = found.last + 1;
    }
    return hits;
  }
}
