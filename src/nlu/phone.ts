// Phone numbers citizens leave for a call-back: mainland mobiles (1[3-9] + 9 digits, optionally +86 and
// separated 3-4-4) and Beijing landlines (010 + 8 digits, or 8 digits right after 电话/座机). Digits that
// are part of a longer run (ID-card numbers, order numbers) are not phones.
const MOBILE = /(?<![\d])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![\d])/;
const LANDLINE = /(?<![\d])(?:\(010\)|010)[- ]?(\d{8})(?![\d])/;
const LOCAL_AFTER_WORD = /(?:电话|座机|固话|tel|phone)[:： ]*(\d{8})(?![\d])/i;

export function extractPhone(text: string): string | undefined {
  const mobile = MOBILE.exec(text);
  if (mobile) return mobile[1] + mobile[2] + mobile[3];
  const landline = LANDLINE.exec(text) ?? LOCAL_AFTER_WORD.exec(text);
  if (landline) return `010-${landline[1]}`;
  return undefined;
}
