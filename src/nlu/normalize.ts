// The text every extractor reads: the envelope's normalization folded (NFKC, invisible characters), then
// traditional → simplified (OpenCC, Hong Kong and Taiwan variants both fold to mainland forms) and
// lower case for Latin letters. Retrieval applies its own synonym rewriting on top of this.
// The t2cn build holds only the dictionaries of conversions to mainland simplified (110 KB of source against
// 1.2 MB for the full build, whose simplified → traditional phrases alone are 1 MB kept in memory as source and
// as a trie); it converts exactly as the full build does (tests/nlu/opencc-t2cn.test.ts).
import * as OpenCC from 'opencc-js/t2cn';
import { foldText } from './fold-text.js';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });
const HAN = /[\u3400-\u9fff]/;

export function normalizeForNlu(raw: string): string {
  // Folded: the matcher and the extractors read ASCII punctuation (normalizeText puts Chinese punctuation back
  // to full width for people).
  const text = foldText(raw);
  return (HAN.test(text) ? toSimplified(text) : text).toLowerCase();
}
