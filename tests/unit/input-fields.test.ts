// The validation layer's building blocks (src/http/input-fields.ts) and its one answer (src/http/validate.ts).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calendarDate, dateRange, freeText, instant, queryInt, safeString } from '../../src/http/input-fields.js';
import { invalidField } from '../../src/http/validate.js';

const message = (s: z.ZodType, v: unknown) => {
  const r = s.safeParse(v);
  return r.success ? undefined : r.error.issues[0].message;
};

describe('calendarDate', () => {
  it('takes real days within 2000–2100 and says why it refuses the others', () => {
    for (const d of ['2000-01-01', '2024-02-29', '2026-03-01', '2100-12-31']) expect(message(calendarDate, d), d).toBeUndefined();
    expect(message(calendarDate, '2026-02-30')).toBe('is not a calendar date');
    expect(message(calendarDate, '2025-02-29')).toBe('is not a calendar date');
    expect(message(calendarDate, '0001-01-01')).toBe('must be between 2000-01-01 and 2100-12-31');
    expect(message(calendarDate, '9999-12-31')).toBe('must be between 2000-01-01 and 2100-12-31');
    expect(message(calendarDate, '275760-09-13')).toBe('must be a date YYYY-MM-DD');
    expect(message(calendarDate, ['2026-03-01'])).toBeDefined();
  });
});

describe('instant', () => {
  it('reads a date as its UTC midnight and a date-time with its offset', () => {
    expect(instant.parse('2026-03-01')).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(instant.parse('2026-03-01T08:00:00+08:00')).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(message(instant, '2026-02-30')).toBe('is not a calendar date');
    expect(message(instant, '2026-03-01T08:00:00')).toMatch(/offset/);
    expect(message(instant, '2101-01-01T07:59:59+08:00')).toBeUndefined();
    expect(message(instant, '2101-01-01T08:00:00+08:00')).toMatch(/between/);
    expect(message(instant, '2101-01-02T00:00:00Z')).toMatch(/between/);
  });
});

describe('text', () => {
  it('refuses NUL, controls and lone surrogates in identifiers and filters', () => {
    for (const v of ['a\u0000b', '\uD800', 'x\u0007']) expect(message(safeString(10), v), JSON.stringify(v)).toMatch(/NUL/);
    expect(message(safeString(10), '丰台区')).toBeUndefined();
  });

  it('cleans free text instead of refusing it', () => {
    expect(freeText(20).parse('  已派\u0000单\uD800 ')).toBe('已派单\uFFFD');
    expect(message(freeText(20), '\u0000 ')).toBe('must not be empty');
  });

  it('reads whole numbers only', () => {
    expect(queryInt(1, 500).parse('50')).toBe(50);
    for (const v of ['1.5', '1e309', 'abc', '0', '501', ['1', '2']]) expect(message(queryInt(1, 500), v), String(v)).toBeDefined();
  });
});

describe('dateRange', () => {
  const Range = z.object({ from: calendarDate.optional(), to: calendarDate.optional() }).superRefine(dateRange({ maxDays: 31 }));
  it('refuses a range that runs backwards or too long, naming `to`', () => {
    expect(Range.safeParse({ from: '2026-03-01', to: '2026-03-31' }).success).toBe(true);
    expect(invalidField(Range.safeParse({ from: '2026-03-10', to: '2026-03-01' }).error!, 'query')).toEqual({ field: 'to', reason: 'to: is before from (2026-03-10)' });
    expect(invalidField(Range.safeParse({ from: '2026-03-01', to: '2026-04-01' }).error!, 'query').field).toBe('to');
  });
});

describe('invalidField', () => {
  it('names the first field at fault, an unknown key, or the part itself', () => {
    const S = z.object({ sender: z.object({ id: z.string() }) }).strict();
    expect(invalidField(S.safeParse({ sender: { id: 1 } }).error!, 'body').field).toBe('sender.id');
    expect(invalidField(S.safeParse({ sender: { id: 'a' }, extra: 1 }).error!, 'body')).toEqual({ field: 'extra', reason: 'extra: is not a known field' });
    expect(invalidField(S.safeParse('x').error!, 'body').field).toBe('body');
  });
});
