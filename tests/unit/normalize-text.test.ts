import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/core/normalize-text.js';

describe('normalizeText', () => {
  it('folds full-width forms (NFKC)', () => {
    expect(normalizeText('ＡＢＣ１２３　井盖')).toBe('ABC123 井盖');
  });
  it('removes zero-width and bidi control characters', () => {
    expect(normalizeText('井\u200b盖\u202e丢了\ufeff')).toBe('井盖丢了');
  });
  it('collapses whitespace and trims', () => {
    expect(normalizeText('  路灯   不亮 \n\n 好几天了  ')).toBe('路灯 不亮\n好几天了');
  });
  it('returns empty for invisible-only input', () => {
    expect(normalizeText('\u200b \u200d\t')).toBe('');
  });
});

describe('Chinese punctuation', () => {
  it('keeps full-width punctuation in Chinese text after NFKC', () => {
    expect(normalizeText('晚上很黑，请尽快修理！谢谢？')).toBe('晚上很黑，请尽快修理！谢谢？');
    expect(normalizeText('路灯坏了,晚上很黑;地址:望京(3号楼)')).toBe('路灯坏了，晚上很黑；地址：望京（3号楼）');
    expect(normalizeText('电话13812345678,谢谢')).toBe('电话13812345678，谢谢');
  });
  it('leaves times, numbers, English and payloads alone', () => {
    expect(normalizeText('明天12:30开会,共1,000人')).toBe('明天12:30开会，共1,000人');
    expect(normalizeText('Hello, the light (street 3) is out!')).toBe('Hello, the light (street 3) is out!');
    expect(normalizeText('faq:社保卡挂失')).toBe('faq:社保卡挂失');
    expect(normalizeText('visit:20261128-000001:satisfied')).toBe('visit:20261128-000001:satisfied');
  });
  it('gives the matcher the same text as plain NFKC', async () => {
    const { normalizeForNlu } = await import('../../src/nlu/normalize.js');
    expect(normalizeForNlu('路灯坏了，晚上很黑（3号楼）！')).toBe('路灯坏了,晚上很黑(3号楼)!');
  });
});
