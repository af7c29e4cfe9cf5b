// The folding every reader of a citizen's text shares: NFKC (full-width digits and letters become ASCII,
// compatibility forms fold), zero-width and bidi control characters removed (they hide text from people and
// split words for the segmenter), whitespace collapsed, trimmed. The matcher reads exactly this; the envelope's
// text is this with Chinese punctuation put back to full width (src/core/normalize-text.ts).

// Zero-width, bidi embedding/override/isolate marks, BOM; not ordinary spaces.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]/g;

export function foldText(raw: string): string {
  return raw
    .toWellFormed()
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/[ \t\u3000]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}
