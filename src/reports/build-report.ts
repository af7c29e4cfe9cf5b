// One entry point for "the daily / weekly / monthly report for a date", used by the CLI and the console.
import type { Db } from '../tickets/db.js';
import { dailyBulletin } from './daily-bulletin.js';
import { monthlyAnalysis, weeklySummary } from './period-analysis.js';
import { sql } from 'drizzle-orm';
import { dayPeriod, lastCompletePeriod, localDate, monthPeriod, weekPeriod } from './period.js';
import type { RenderedReport } from './report-table.js';

export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export function isReportKind(v: unknown): v is ReportKind {
  return typeof v === 'string' && (REPORT_KINDS as readonly string[]).includes(v);
}

const PERIOD_KIND = { daily: 'day', weekly: 'week', monthly: 'month' } as const;

/** The default date for a circulated report: inside the last complete day, week or month. */
export function defaultReportDate(kind: ReportKind, now: Date, timeZone: string): string {
  return lastCompletePeriod(PERIOD_KIND[kind], now, timeZone).start;
}

/**
 * Where a reader opening the reports should land: the running period (today, this week, this month) when it has
 * tickets, else the period of the newest ticket, so a quiet morning or an old data set never opens on zeros.
 */
export async function latestReportDate(db: Db, kind: ReportKind, now: Date, timeZone: string): Promise<string> {
  const today = localDate(now, timeZone);
  const running = { daily: dayPeriod, weekly: weekPeriod, monthly: monthPeriod }[kind](today, timeZone);
  const res = await db.execute(sql`select max(created_at) as newest from tickets where created_at < ${running.to.toISOString()}`);
  const newest = (res as unknown as { rows: { newest: string | Date | null }[] }).rows[0]?.newest;
  if (!newest) return today;
  const at = new Date(newest);
  return at >= running.from ? today : localDate(at, timeZone);
}

export async function buildReport(db: Db, kind: ReportKind, opts: { date?: string; timeZone: string; now?: Date }): Promise<RenderedReport> {
  const now = opts.now ?? new Date();
  const date = opts.date ?? defaultReportDate(kind, now, opts.timeZone);
  const o = { date, timeZone: opts.timeZone, now };
  if (kind === 'daily') return dailyBulletin(db, o);
  if (kind === 'weekly') return weeklySummary(db, o);
  return monthlyAnalysis(db, o);
}
