// One entry point for "the daily / weekly / monthly report for a date", used by the CLI and the console.
import type { Db } from '../tickets/db.js';
import { dailyBulletin } from './daily-bulletin.js';
import { monthlyAnalysis, weeklySummary } from './period-analysis.js';
import { lastCompletePeriod } from './period.js';
import type { RenderedReport } from './report-table.js';

export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export function isReportKind(v: unknown): v is ReportKind {
  return typeof v === 'string' && (REPORT_KINDS as readonly string[]).includes(v);
}

/** The default date: inside the last complete day, week or month. */
export function defaultReportDate(kind: ReportKind, now: Date, timeZone: string): string {
  return lastCompletePeriod(kind === 'daily' ? 'day' : kind === 'weekly' ? 'week' : 'month', now, timeZone).start;
}

export async function buildReport(db: Db, kind: ReportKind, opts: { date?: string; timeZone: string; now?: Date }): Promise<RenderedReport> {
  const now = opts.now ?? new Date();
  const date = opts.date ?? defaultReportDate(kind, now, opts.timeZone);
  const o = { date, timeZone: opts.timeZone, now };
  if (kind === 'daily') return dailyBulletin(db, o);
  if (kind === 'weekly') return weeklySummary(db, o);
  return monthlyAnalysis(db, o);
}
