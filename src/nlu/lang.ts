// Which language a message is written in: English when Latin words outweigh Chinese characters.
// Numbers, emoji and punctuation do not count either way; a message with neither is Chinese (the default).
// Markup, links and @mentions are not words the citizen wrote in a language, so they do not count either.
import type { Lang } from './decision.js';

const NOT_PROSE = /<[^>]{0,200}>|https?:\/\/\S+|www\.\S+|@[\w\u3400-\u9fff-]+/gi;

export function detectLang(text: string): Lang {
  const prose = text.replace(NOT_PROSE, ' ');
  // Counted in a loop rather than by matching every character into an array: this runs on every message.
  let han = 0;
  for (let i = 0; i < prose.length; i++) {
    const c = prose.charCodeAt(i);
    if (c >= 0x3400 && c <= 0x9fff) han++;
  }
  const latinWords = (prose.match(/[a-z]{2,}/gi) ?? []).length;
  return latinWords > 0 && latinWords * 2 > han ? 'en' : 'zh';
}
