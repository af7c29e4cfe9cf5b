// Chinese numerals as people write them in messages: 三, 十二, 二十五, 两, 一百零五, or plain digits.
const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

export const CN_NUMBER = '[0-9零〇一二两三四五六七八九十百]+';

export function parseChineseNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  let current = 0;
  for (const ch of s) {
    if (ch in DIGITS) current = DIGITS[ch];
    else if (ch === '十') { total += (current || 1) * 10; current = 0; }
    else if (ch === '百') { total += (current || 1) * 100; current = 0; }
    else return undefined;
  }
  return total + current;
}
