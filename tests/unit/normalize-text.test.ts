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
