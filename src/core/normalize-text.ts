// Text as the pipeline sees it: storable (storable-text.ts), then folded as the matcher folds it (NFKC, invisible
// characters removed, whitespace collapsed, trimmed: nlu/fold-text.ts). Length is checked by the caller, which
// decides the error.
//
// One departure from plain NFKC (DESIGN.md asks for NFKC): NFKC also turns Chinese punctuation into ASCII
// ("晚上很黑，请尽快" → "晚上很黑,请尽快"), and that text is what the citizen sees echoed in their chat, what the
// office reads on the ticket and what the hotline system receives. So the punctuation NFKC folded is put back
// to full width where it sits in Chinese. The matcher reads plain NFKC all the same (nlu/normalize.ts).

import { storableText } from './storable-text.js';
import { foldText } from '../nlu/fold-text.js';

export const MAX_TEXT_LENGTH = 2000;

export function normalizeText(raw: string): string {
  // Storable first (ill-formed UTF-16, controls, noncharacters: storable-text.ts), then the shared folding.
  return chinesePunctuation(foldText(storableText(raw)));
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
