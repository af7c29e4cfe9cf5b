import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isStorable, storableText } from '../../src/core/storable-text.js';

describe('storableText', () => {
  it('replaces lone surrogates, removes controls, keeps tab and newline', () => {
    expect(storableText('井盖丢了\udfff')).toBe('井盖丢了\uFFFD');
    expect(storableText('\ud800x')).toBe('\uFFFDx');
    expect(storableText('a\u0000b\u0007c\u009Fd')).toBe('abcd');
    expect(storableText('a\tb\r\nc\rd')).toBe('a\tb\nc\nd');
    expect(storableText('x\uFFFEy\uFDD0z\u{1FFFF}')).toBe('x\uFFFDy\uFFFDz\uFFFD');
    // PGlite reads a value starting with a byte-order mark back without it.
    expect(storableText('\uFEFF王\uFEFF五')).toBe('王五');
  });

  it('keeps 4-byte emoji, combining marks and RTL text', () => {
    const s = '路灯坏了😀 é ا‎ب 𠀀';
    expect(storableText(s)).toBe(s);
    expect(isStorable(s)).toBe(true);
  });

  it('always yields well-formed text without NUL, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const out = storableText(s);
        expect(out.isWellFormed()).toBe(true);
        expect(out.includes('\u0000')).toBe(false);
        expect(storableText(out)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });
});
