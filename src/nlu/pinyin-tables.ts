// What intents/pinyin.generated.json should hold, computed from pinyin-pro: used by scripts/build-pinyin.ts to
// write it and by its test to check it. Never imported by the running gateway (it loads pinyin-pro).
import { pinyin } from 'pinyin-pro';
import { BLOCK_END, BLOCK_START, CHAR_OPTIONS, NAME_OPTIONS, type PinyinFile } from './pinyin-reading.js';
import { namesReadInPinyin } from './places.js';

export function pinyinTables(source: string): PinyinFile {
  const chars: string[] = [];
  for (let c = BLOCK_START; c <= BLOCK_END; c++) chars.push(String.fromCharCode(c));
  // One call over the characters separated by spaces, each then read alone, as a single-character call reads it.
  const read = pinyin(chars.join(' '), CHAR_OPTIONS).filter((s) => s.trim() !== '');
  if (read.length !== chars.length) throw new Error(`pinyin-pro read ${read.length} syllables for ${chars.length} characters`);
  const names: Record<string, string[]> = {};
  for (const name of namesReadInPinyin()) names[name] = pinyin(name, NAME_OPTIONS);
  return { source, block: read.join(' '), names };
}
