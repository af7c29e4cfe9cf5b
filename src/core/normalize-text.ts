// Text as the pipeline sees it: NFKC (full-width digits and letters become ASCII, compatibility forms fold),
// zero-width and bidi control characters removed (they hide text from people and split words for the
// segmenter), whitespace collapsed, trimmed. Length is checked by the caller, which decides the error.
//
// One departure from plain NFKC (DESIGN.md asks for NFKC): NFKC also turns Chinese punctuation into ASCII
// ("晚上很黑，请尽快" → "晚上很黑,请尽快"), and that text is what the citizen sees echoed in their chat, what the
// office reads on the ticket and what the hotline system receives. So the punctuation NFKC folded is put back
// to full width where it sits in Chinese. The matcher reads plain NFKC all the same (nlu/normalize.ts).

import { storableText } from './storable-text.js';

export const MAX_TEXT_LENGTH = 2000;

// Zero-width, bidi embedding/override/isolate marks, BOM; not ordinary spaces.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]/g;

export function normalizeText(raw: string): string {
  return chinesePunctuation(foldText(raw));
}

/**
 * Plain NFKC and the cleaning, punctuation folded to ASCII too: what the matcher reads (nlu/normalize.ts).
 * Storable first (ill-formed UTF-16, controls, noncharacters: src/core/storable-text.ts), then NFKC.
 */
export function foldText(raw: string): string {
  return storableText(raw)
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/[ \t\u3000]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

const HAN = /\p{Script=Han}/u;
const FULL_WIDTH: Record<string, string> = { ',': '，', ';': '；', '!': '！', '?': '？', ':': '：' };
/**
 * Where ASCII punctuation is Chinese punctuation: , ; ! ? after or before a Han character; : only after one (a
 * colon before Chinese is as often a payload, faq:…, as prose). Times (12:30), numbers (1,000) and English
 * keep theirs.
 */
const IN_CHINESE = /(?<=\p{Script=Han})[,;!?:]|[,;!?](?=\p{Script=Han})/gu;
/** A pair of parentheses with no others inside: full width when what they hold is Chinese. */
const PAIR = /\(([^()\n]*)\)/g;

/** Full-width forms back for punctuation in Chinese text (see the top of this file). */
export function chinesePunctuation(text: string): string {
  return text.replace(IN_CHINESE, (p) => FULL_WIDTH[p]).replace(PAIR, (pair, inner: string) => (HAN.test(inner) ? `（${inner}）` : pair));
}
