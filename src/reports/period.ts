// Report periods in the hotline's time zone (TZ_NAME). A "day" is a local calendar day, a week runs Monday to
// Sunday, a month is a calendar month: the city's bulletins are cut that way, not in UTC.
import { instantOfWallTime } from '../time-zone.js';

export type PeriodKind = 'day' | 'week' | 'month' | 'range';

export interface Period {
  kind: PeriodKind;
  /** Inclusive start instant (local midnight of `start`). */
  from: Date;
  /** Exclusive end instant (local midnight after the last day). */
  to: Date;
  /** First local day, YYYY-MM-DD. */
  start: string;
  /** Last local day, YYYY-MM-DD (inclusive). */
  end: string;
  /** Number of local days covered. */
  days: number;
  /** Human label in Chinese: 2026年3月5日 / 2026年第10周 / 2026年3月. */
  label: string;
}

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(s: string): boolean {
  if (!YMD.test(s)) return false;
  // Parsed as an ISO instant: Date.UTC would read the years 0–99 as 1900–1999.
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(at: Date, timeZone: string): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The instant of local midnight starting a local date. Two passes settle zones with daylight saving. */
export function startOfLocalDay(ymd: string, timeZone: string): Date {
  const m = YMD.exec(ymd);
  if (!m) throw new RangeError(`not a date: ${ymd} (expected YYYY-MM-DD)`);
  return instantOfWallTime(Date.UTC(+m[1], +m[2] - 1, +m[3]), timeZone);
}

/** Calendar arithmetic on YYYY-MM-DD strings (no time zone involved). */
export function addDays(ymd: string, n: number): string {
  const m = YMD.exec(ymd);
  if (!m) throw new RangeError(`not a date: ${ymd}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3] + n)).toISOString().slice(0, 10);
}

export function addMonths(ymd: string, n: number): string {
  const m = YMD.exec(ymd);
  if (!m) throw new RangeError(`not a date: ${ymd}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1 + n, 1)).toISOString().slice(0, 10);
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** ISO week number and its year, for the weekly label. */
function isoWeek(ymd: string): { year: number; week: number } {
  const d = new Date(`${ymd}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - dow + 3); // the week's Thursday decides its year
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return { year, week };
}

function make(kind: PeriodKind, start: string, endExclusive: string, label: string, timeZone: string): Period {
  return {
    kind,
    from: startOfLocalDay(start, timeZone),
    to: startOfLocalDay(endExclusive, timeZone),
    start,
    end: addDays(endExclusive, -1),
    days: daysBetween(start, endExclusive),
    label,
  };
}

function zhDate(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/**
 * The period's label, with 截至 HH:MM (local time) while it is still running: a report on today, this week or
 * this month shows what has come in so far, and says so.
 */
export function labelAsOf(period: Period, now: Date, timeZone: string): string {
  if (now >= period.to || now < period.from) return period.label;
  const hm = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  return `${period.label}，截至${hm}`;
}

export function dayPeriod(ymd: string, timeZone: string): Period {
  return make('day', ymd, addDays(ymd, 1), zhDate(ymd), timeZone);
}

/** The Monday-to-Sunday week containing the date. */
export function weekPeriod(ymd: string, timeZone: string): Period {
  const dow = (new Date(`${ymd}T00:00:00Z`).getUTCDay() + 6) % 7;
  const monday = addDays(ymd, -dow);
  const { year, week } = isoWeek(monday);
  return make('week', monday, addDays(monday, 7), `${year}年第${week}周（${zhDate(monday)}—${zhDate(addDays(monday, 6))}）`, timeZone);
}

/** The calendar month containing the date. */
export function monthPeriod(ymd: string, timeZone: string): Period {
  const first = `${ymd.slice(0, 7)}-01`;
  const [y, m] = first.split('-').map(Number);
  return make('month', first, addMonths(first, 1), `${y}年${m}月`, timeZone);
}

/** Any run of whole local days, [start, end] inclusive. */
export function rangePeriod(start: string, end: string, timeZone: string): Period {
  if (end < start) throw new RangeError(`range ends (${end}) before it starts (${start})`);
  return make('range', start, addDays(end, 1), `${zhDate(start)}—${zhDate(end)}`, timeZone);
}

/** The period of the same kind just before this one (yesterday, last week, last month). */
export function previousPeriod(p: Period, timeZone: string): Period {
  switch (p.kind) {
    case 'day':
      return dayPeriod(addDays(p.start, -1), timeZone);
    case 'week':
      return weekPeriod(addDays(p.start, -7), timeZone);
    case 'month':
      return monthPeriod(addMonths(p.start, -1), timeZone);
    default:
      return rangePeriod(addDays(p.start, -p.days), addDays(p.start, -1), timeZone);
  }
}

/**
 * The default period for a report run without --date: the last complete one (yesterday, last week, last
 * month), because bulletins are about finished days.
 */
export function lastCompletePeriod(kind: 'day' | 'week' | 'month', now: Date, timeZone: string): Period {
  const today = localDate(now, timeZone);
  if (kind === 'day') return dayPeriod(addDays(today, -1), timeZone);
  if (kind === 'week') return previousPeriod(weekPeriod(today, timeZone), timeZone);
  return previousPeriod(monthPeriod(today, timeZone), timeZone);
}
