// Telegram refuses messages over 4,096 characters. Long replies are cut into parts, preferably at a line
// break, else after a sentence end, else anywhere; never inside a surrogate pair.
export const TELEGRAM_MAX_MESSAGE = 4096;

const SENTENCE_END = /[。！？；.!?;]/;

export function splitText(text: string, max = TELEGRAM_MAX_MESSAGE): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = lastSentenceEnd(rest, max);
    if (cut < max / 2) cut = max;
    // Keep a surrogate pair together.
    if (/[\uD800-\uDBFF]/.test(rest[cut - 1])) cut -= 1;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\n+/, '');
  }
  parts.push(rest);
  const nonEmpty = parts.filter((p) => p.length > 0);
  return nonEmpty.length ? nonEmpty : [text];
}

function lastSentenceEnd(text: string, max: number): number {
  for (let i = max - 1; i > 0; i--) if (SENTENCE_END.test(text[i])) return i + 1;
  return -1;
}
