// Times each report on a seeded database (scripts/seed-year.ts). Prints figures; asserts nothing.
//
//   node bin/run-ts.mjs bench/reports.ts --database-url postgres://…/jiesu_bench [--date YYYY-MM-DD] [--runs 3]
//
// --date is a day inside the seeded year (default: the day before the newest ticket). Each report runs
// `runs` times; the first run (cold cache) and the best of the rest are printed.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { openDatabase, type Db } from '../src/tickets/db.js';
import { addDays, localDate, monthPeriod, rangePeriod } from '../src/reports/period.js';
import { dailyBulletin } from '../src/reports/daily-bulletin.js';
import { registerChannelLabels } from '../src/reports/labels.js';
import { channelLabels } from '../channels/index.js';
import { weeklySummary, monthlyAnalysis } from '../src/reports/period-analysis.js';
import { heatMap } from '../src/reports/heatmap.js';
import { threeRates } from '../src/reports/rates.js';
import { rankStreets } from '../src/reports/ranking.js';
import { detectSpikes } from '../src/reports/spikes.js';
import { highFrequencyItems } from '../src/reports/high-frequency.js';
import { previousPeriod } from '../src/reports/period.js';
import { listTickets, TicketListQuery } from '../src/http/admin/ticket-query.js';
import { queryRows } from '../src/reports/sql-rows.js';

export interface ReportsBenchOptions {
  databaseUrl: string;
  date?: string;
  runs?: number;
  timeZone?: string;
  log?: (line: string) => void;
}

export interface ReportTiming {
  name: string;
  firstMs: number;
  bestMs: number;
}

export async function runReportsBench(opts: ReportsBenchOptions): Promise<ReportTiming[]> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const tz = opts.timeZone ?? 'Asia/Shanghai';
  const runs = Math.max(1, opts.runs ?? 3);
  registerChannelLabels(channelLabels());
  const database = await openDatabase({ databaseUrl: opts.databaseUrl });
  await database.migrate();
  const db: Db = database.db;
  try {
    const [{ n, newest }] = await queryRows<{ n: number; newest: Date | null }>(db, sql`select count(*)::int as n, max(created_at) as newest from tickets`);
    if (!newest) throw new Error('the database has no tickets: seed it first (scripts/seed-year.ts)');
    const asOf = new Date(newest);
    const date = opts.date ?? addDays(localDate(asOf, tz), -1);
    const now = asOf;
    const month = monthPeriod(date, tz);
    const year = rangePeriod(addDays(date, -364), date, tz);
    log(`reports bench: ${n.toLocaleString('en')} tickets, date ${date}, ${runs} runs each (first = cold, best of the rest)`);

    const cases: [string, () => Promise<unknown>][] = [
      ['daily bulletin (日通报)', () => dailyBulletin(db, { date, timeZone: tz, now })],
      ['weekly summary (周汇总)', () => weeklySummary(db, { date, timeZone: tz, now })],
      ['monthly analysis (月分析)', () => monthlyAnalysis(db, { date, timeZone: tz, now })],
      ['heat map, month, top 30 streets', () => heatMap(db, month, { topStreets: 30 })],
      ['heat map, whole year, top 30 streets', () => heatMap(db, year, { topStreets: 30 })],
      ['three rates per street, month', () => threeRates(db, month, 'street', now)],
      ['three rates per unit, month', () => threeRates(db, month, 'unit', now)],
      ['street ranking (four classes), month', async () => rankStreets(await threeRates(db, month, 'street', now))],
      ['spikes, last 24 h vs 28 days', () => detectSpikes(db, { asOf })],
      ['high-frequency items, month', () => highFrequencyItems(db, month, previousPeriod(month, tz), 10)],
      ['ticket list, overdue first, page 1', () => listTickets(db, TicketListQuery.parse({}), { now, range: {} })],
      ['ticket list, page 200', () => listTickets(db, TicketListQuery.parse({ page: '200' }), { now, range: {} })],
      ['ticket list, street + category filter', () => listTickets(db, TicketListQuery.parse({ street: '垡头街道', category: 'heating' }), { now, range: {} })],
      ['ticket list, text search "暖气", 90 days', () => listTickets(db, TicketListQuery.parse({ q: '暖气' }), { now, range: { from: new Date(now.getTime() - 90 * 86_400_000) } })],
      ['ticket list, text search in a month', () => listTickets(db, TicketListQuery.parse({ q: '暖气' }), { now, range: { from: month.from, to: month.to } })],
    ];
    const out: ReportTiming[] = [];
    for (const [name, fn] of cases) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await fn();
        times.push(performance.now() - t0);
      }
      const timing = { name, firstMs: times[0], bestMs: Math.min(...(times.length > 1 ? times.slice(1) : times)) };
      out.push(timing);
      log(`  ${name.padEnd(42)} first ${timing.firstMs.toFixed(0).padStart(6)} ms   best ${timing.bestMs.toFixed(0).padStart(6)} ms`);
    }
    return out;
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { 'database-url': { type: 'string' }, date: { type: 'string' }, runs: { type: 'string', default: '3' } } });
  const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('usage: bench/reports.ts --database-url postgres://… [--date YYYY-MM-DD] [--runs 3]');
    process.exit(2);
  }
  runReportsBench({ databaseUrl, date: values.date, runs: Number(values.runs) }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
