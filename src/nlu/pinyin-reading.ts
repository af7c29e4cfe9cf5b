// The toneless pinyin pinyin-pro gives, read from intents/pinyin.generated.json (scripts/build-pinyin.ts writes
// it from pinyin-pro) wherever that holds the answer: every character of the common block U+4E00–U+9FFF, and
// the names of Beijing's districts, streets and landmarks. pinyin-pro itself, with its dictionaries (about
// 13 MB of an idle gateway's memory, and more while the block is read at start), is loaded only for a
// character or name the tables lack, which the running gateway meets rarely if ever.
import { createRequire } from 'node:module';
import { readIntentsJson } from './resources.js';

export const BLOCK_START = 0x4e00;
export const BLOCK_END = 0x9fff;
/** How a character is read (homophones.ts): toneless, one syllable per character. */
export const CHAR_OPTIONS = { toneType: 'none', type: 'array' } as const;
/** How a name is read (pinyin-names.ts): toneless, ü written v, polyphonic characters read in context. */
export const NAME_OPTIONS = { toneType: 'none', type: 'array', v: true } as const;

export const PINYIN_FILE = 'pinyin.generated.json';

export interface PinyinFile {
  source: string;
  /** The syllable of each character from U+4E00 to U+9FFF, in order, separated by single spaces. */
  block: string;
  /** A name's syllables as pinyin-pro reads the whole name with NAME_OPTIONS. */
  names: Record<string, string[]>;
}

type Pinyin = typeof import('pinyin-pro').pinyin;
let library: Pinyin | undefined;
function pinyinPro(): Pinyin {
  // CommonJS, so that a synchronous caller can load it when first needed.
  return (library ??= (createRequire(import.meta.url)('pinyin-pro') as typeof import('pinyin-pro')).pinyin);
}

interface Tables {
  /** Indexed by code point − BLOCK_START; the ~400 distinct syllables are shared, not one string per character. */
  block: string[] | undefined;
  names: Map<string, string[]>;
}
let tables: Tables | undefined;

function loaded(): Tables {
  if (tables) return tables;
  const file = readIntentsJson<PinyinFile>(PINYIN_FILE);
  const read = file.block.split(' ');
  const shared = new Map<string, string>();
  const block = read.length === BLOCK_END - BLOCK_START + 1
    ? read.map((s) => { const seen = shared.get(s); if (seen !== undefined) return seen; shared.set(s, s); return s; })
    : undefined; // a file of another shape: every character is asked of pinyin-pro instead
  return (tables = { block, names: new Map(Object.entries(file.names)) });
}

/** Characters outside the block, read once each and kept. */
const rare = new Map<string, string>();

/** The syllable of one character, as pinyin-pro reads it alone (the character itself when it has none). */
export function charSyllable(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch.length === 1 && code >= BLOCK_START && code <= BLOCK_END) {
    const s = loaded().block?.[code - BLOCK_START];
    if (s !== undefined) return s;
  }
  let s = rare.get(ch);
  if (s === undefined) {
    s = pinyinPro()(ch, CHAR_OPTIONS)[0] ?? ch;
    rare.set(ch, s);
  }
  return s;
}

/** A name's syllables with NAME_OPTIONS, as pinyin-pro reads the whole name. */
export function nameSyllables(chinese: string): string[] {
  return loaded().names.get(chinese) ?? pinyinPro()(chinese, NAME_OPTIONS);
}

/** Whether pinyin-pro has been loaded into this process (tests show that start does not need it). */
export function pinyinProLoaded(): boolean {
  return library !== undefined;
}
