// The zod building blocks every route's schema is made of, so that "a filter", "a note" and "a date" mean the
// same thing on every route. Identifiers, filters and enums are refused when they carry a NUL, another control
// character or ill-formed UTF-16 (PostgreSQL refuses NUL in text, PGlite refuses lone surrogates: such a value
// could only ever fail the query). Free text a person wrote (a note) is cleaned with storableText instead:
// refusing it would make a signed callback from the hotline fail on every retry.
import { z } from 'zod';
import { isStorable, storableText } from '../core/storable-text.js';
import { addDays, isLocalDate } from '../reports/period.js';

/** The dates any route accepts: wide enough for every real ticket, narrow enough for every date library. */
export const DATE_MIN = '2000-01-01';
export const DATE_MAX = '2100-12-31';

const NOT_STORABLE = 'must not contain NUL, control characters or ill-formed text';

/** A string used as an identifier or a filter: at most `max` characters, refused when not storable as is. */
export function safeString(max: number) {
  return z.string().max(max).refine(isStorable, NOT_STORABLE);
}

/** Free text (a note): cleaned with storableText, trimmed, then 1..max characters. */
export function freeText(max: number) {
  return z.string().overwrite(storableText).trim().min(1, 'must not be empty').max(max);
}

/** A real calendar day, YYYY-MM-DD, between DATE_MIN and DATE_MAX (2026-02-30 and 275760-09-13 are refused). */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isLocalDate, 'is not a calendar date')
  .refine((d) => d >= DATE_MIN && d <= DATE_MAX, `must be between ${DATE_MIN} and ${DATE_MAX}`);

const MIN_MS = Date.parse(`${DATE_MIN}T00:00:00Z`);
const MAX_MS = Date.parse(`${addDays(DATE_MAX, 1)}T00:00:00Z`);

const DATE_TIME = z.iso.datetime({ offset: true });

/**
 * An instant given as a calendar date (its UTC midnight, checked as calendarDate is) or an ISO date-time with
 * an offset, within the same range; parsed to a Date.
 */
export const instant = z.string().transform((s, ctx) => {
  const fail = (message: string) => {
    ctx.issues.push({ code: 'custom', message, input: s });
    return z.NEVER;
  };
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const date = calendarDate.safeParse(s);
    if (!date.success) return fail(date.error.issues[0].message);
    return new Date(`${s}T00:00:00Z`);
  }
  if (!DATE_TIME.safeParse(s).success) return fail('must be a date YYYY-MM-DD or an ISO date-time with an offset');
  const t = Date.parse(s);
  if (Number.isNaN(t) || t < MIN_MS || t >= MAX_MS) return fail(`must be between ${DATE_MIN} and ${DATE_MAX}`);
  return new Date(t);
});

/** An integer in a query string ("50"): refused when it is not a whole number within [min, max]. */
export function queryInt(min: number, max: number) {
  return z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(min).max(max);
}

/** A yes/no flag in a query string. */
export const queryFlag = z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1');

const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/**
 * The check a range's two ends need together: `from` not after `to` (the issue names `to`), and at most
 * `maxDays` days between them when given (a report over a century scans the whole table for nothing).
 * Works on calendar dates (strings) and on instants (Dates).
 */
export function dateRange(opts: { maxDays?: number } = {}) {
  return (v: { from?: string | Date; to?: string | Date }, ctx: z.RefinementCtx) => {
    if (v.from === undefined || v.to === undefined) return;
    const key = (d: string | Date) => (typeof d === 'string' ? d : d.toISOString());
    if (key(v.from) > key(v.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `is before from (${key(v.from).slice(0, 10)})` });
      return;
    }
    if (opts.maxDays && typeof v.from === 'string' && typeof v.to === 'string' && days(v.from, v.to) > opts.maxDays)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may cover at most ${opts.maxDays} days` });
  };
}
