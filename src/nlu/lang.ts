// Which language a message is written in: English when Latin words outweigh Chinese characters.
// Numbers, emoji and punctuation do not count either way; a message with neither is Chinese (the default).
import type { Lang } from './decision.js';

export function detectLang(text: string): Lang {
  const han = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  const latinWords = (text.match(/[a-z]{2,}/gi) ?? []).length;
  return latinWords > 0 && latinWords * 2 > han ? 'en' : 'zh';
}
