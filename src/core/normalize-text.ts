// Text as the pipeline sees it: NFKC (full-width digits and letters become ASCII, compatibility forms fold),
// zero-width and bidi control characters removed (they hide text from people and split words for the
// segmenter), whitespace collapsed, trimmed. Length is checked by the caller, which decides the error.

export const MAX_TEXT_LENGTH = 2000;

// Zero-width, bidi embedding/override/isolate marks, BOM; not ordinary spaces.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]/g;
// C0/C1 controls except tab and newlines.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function normalizeText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(CONTROLS, '')
    .replace(/[ \t\u3000]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}
