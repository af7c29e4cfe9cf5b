// Report endpoints for the console: the daily / weekly / monthly reports as JSON (with their charts), Markdown,
// CSV, a self-contained HTML file or an A4 PDF; the heat map; the three rates with the street ranking; spikes
// (live, plus the alerts raised). Every rendering is masked; JSON tables carry no personal data (counts and
// place names only).
import express from 'express';
import { z } from 'zod';
import type { Db } from '../../tickets/db.js';
import { sendError } from '../http-errors.js';
import { sendInvalid, validate, type InvalidField } from '../validate.js';
import { calendarDate, dateRange, queryInt, safeString } from '../input-fields.js';
import { buildReport, isReportKind, latestReportDate } from '../../reports/build-report.js';
import { reportCharts } from '../../reports/report-charts.js';
import { reportToHtml } from '../../reports/html-report.js';
import { htmlToPdf, PdfUnavailableError } from '../../reports/pdf-report.js';
import { renderReport } from '../../reports/render.js';
import { addDays, lastCompletePeriod, localDate, rangePeriod, type Period } from '../../reports/period.js';
import { heatMap } from '../../reports/heatmap.js';
import { threeRates, RATE_GROUPS } from '../../reports/rates.js';
import { rankStreets } from '../../reports/ranking.js';
import { callinRates, callinRateTable } from '../../reports/callin-rates.js';
import { detectSpikes } from '../../reports/spikes.js';
import type { SpikeAlerter } from '../../reports/spike-alerts.js';
import { categoryLabel } from '../../reports/labels.js';
import { CSV_BOM, tableToCsv } from '../../reports/csv.js';
import { rankingTable, rateTable } from '../../reports/period-analysis.js';
import type { ReportTable } from '../../reports/report-table.js';
import { ReportCache } from './report-cache.js';

export interface ReportsRoutesDeps {
  db: Db;
  timeZone: string;
  now: () => Date;
  alerter: SpikeAlerter;
  /** Chromium for the PDF export (CHROMIUM_PATH; else looked up on PATH). */
  chromiumPath?: string;
}

/** The longest range a heat map or the rates are computed over: three years. */
export const MAX_RANGE_DAYS = 1096;

const RangeQuery = z
  .object({
    from: calendarDate.optional(),
    to: calendarDate.optional(),
    district: safeString(32).optional(),
    top: queryInt(1, 400).optional(),
    by: z.enum(RATE_GROUPS).optional(),
  })
  .strict()
  .superRefine(dateRange({ maxDays: MAX_RANGE_DAYS }));

const REPORT_FILE = /^(daily|weekly|monthly)(?:\.(json|csv|md|html|pdf))?$/;
const ReportQuery = z
  .object({
    // An empty date (the console's form left blank) is the default period.
    date: z.literal('').or(calendarDate).optional(),
    table: safeString(40).optional(),
  })
  .strict();

function csv(res: express.Response, name: string, body: string): void {
  res.type('text/csv; charset=utf-8').attachment(name).send(body);
}

export function reportsRoutes(deps: ReportsRoutesDeps): express.Router {
  const r = express.Router();
  const cache = new ReportCache();
  const tz = deps.timeZone;

  /**
   * A whole-day range from the query; `fallback` when none is given. With one end only, the other is today or
   * 29 days before `to`; a range that then runs backwards or too long names the end that was given.
   */
  const rangeOf = (q: { from?: string; to?: string }, fallback: () => Period): Period | InvalidField => {
    if (!q.from && !q.to) return fallback();
    const to = q.to ?? localDate(deps.now(), tz);
    const from = q.from ?? addDays(to, -29);
    if (from > to) return { field: 'from', reason: `from: is after today (${to})` };
    const period = rangePeriod(from, to, tz);
    if (period.days > MAX_RANGE_DAYS) return { field: 'from', reason: `from: the range may cover at most ${MAX_RANGE_DAYS} days` };
    return period;
  };
  const last30 = () => rangePeriod(addDays(localDate(deps.now(), tz), -29), localDate(deps.now(), tz), tz);
  const lastMonth = () => lastCompletePeriod('month', deps.now(), tz);

  const reportInput = validate({ query: ReportQuery });
  r.get('/api/admin/reports/:file', reportInput, async (req, res) => {
    // An unknown report is a missing resource, not bad input.
    const m = REPORT_FILE.exec(String(req.params.file));
    if (!m || !isReportKind(m[1])) return sendError(res, 404, 'not_found', 'reports are daily, weekly or monthly, as .json, .csv, .md, .html or .pdf');
    const q = reportInput.of(res).query;
    const kind = m[1];
    // Without a date the console opens on the running period when it has tickets, else the newest with any.
    const date = q.date || (await latestReportDate(deps.db, kind, deps.now(), tz));
    const report = await cache.get(`${kind}|${date}|${localDate(deps.now(), tz)}`, () => buildReport(deps.db, kind, { date, timeZone: tz, now: deps.now() }));
    const format = m[2] ?? 'json';
    const table = q.table || undefined;
    const name = `${kind}-${report.meta.periodLabel.replace(/[^\d]+/g, '-').replace(/^-|-$/g, '')}${table ? `-${table}` : ''}`;
    if (format === 'json') return res.json({ ...report, charts: reportCharts(report) });
    if (format === 'html') return res.type('text/html; charset=utf-8').attachment(`${name}.html`).send(reportToHtml(report));
    if (format === 'pdf') {
      try {
        const pdf = await htmlToPdf(reportToHtml(report), { chromiumPath: deps.chromiumPath });
        return res.type('application/pdf').attachment(`${name}.pdf`).send(pdf);
      } catch (err) {
        if (err instanceof PdfUnavailableError) return sendError(res, 503, 'pdf_unavailable', err.message);
        throw err;
      }
    }
    try {
      const body = renderReport(report, format === 'csv' ? 'csv' : 'md', table);
      if (format === 'csv') return csv(res, `${name}.csv`, body);
      res.type('text/markdown; charset=utf-8').attachment(`${name}.md`).send(body);
    } catch (err) {
      sendInvalid(res, { field: 'table', reason: `table: ${(err as Error).message}` });
    }
  });

  const rangeInput = validate({ query: RangeQuery });
  const heat = async (period: Period, q: z.infer<typeof RangeQuery>) => {
    const key = `heat|${period.start}|${period.end}|${q.district ?? ''}|${q.top ?? 30}`;
    return { map: await cache.get(key, () => heatMap(deps.db, period, { district: q.district, topStreets: q.top ?? 30 })) };
  };

  r.get('/api/admin/heatmap', rangeInput, async (_req, res) => {
    const q = rangeInput.of(res).query;
    const period = rangeOf(q, last30);
    if (!('start' in period)) return sendInvalid(res, period);
    const { map } = await heat(period, q);
    res.json({ from: period.start, to: period.end, label: period.label, ...map, categoryLabels: map.categories.map(categoryLabel) });
  });

  r.get('/api/admin/heatmap.csv', rangeInput, async (_req, res) => {
    const q = rangeInput.of(res).query;
    const period = rangeOf(q, last30);
    if (!('start' in period)) return sendInvalid(res, period);
    const { map } = await heat(period, q);
    const table: ReportTable = {
      id: 'heatmap',
      title: `热力图（${period.label}）`,
      columns: [{ key: 'district', label: '区' }, { key: 'street', label: '街乡镇' }, { key: 'total', label: '合计' }, ...map.categories.map((c) => ({ key: c, label: categoryLabel(c) }))],
      rows: map.streets.map((s, i) => {
        const row: Record<string, number | string> = { district: s.district, street: s.street, total: s.total };
        for (const c of map.categories) row[c] = 0;
        for (const [si, ci, n] of map.cells) if (si === i) row[map.categories[ci]] = n;
        return row;
      }),
    };
    csv(res, `heatmap-${period.start}-${period.end}.csv`, CSV_BOM + tableToCsv(table));
  });

  const rates = async (period: Period, q: z.infer<typeof RangeQuery>) => {
    const by = q.by ?? 'street';
    const rows = await cache.get(`rates|${by}|${period.start}|${period.end}|${localDate(deps.now(), tz)}`, () => threeRates(deps.db, period, by, deps.now()));
    return { period, by, rows, ranking: by === 'street' ? rankStreets(rows) : undefined };
  };
  const callins = (period: Period) => cache.get(`callin-rates|${period.start}|${period.end}|${localDate(deps.now(), tz)}`, () => callinRates(deps.db, period, deps.now()));

  r.get('/api/admin/rates', rangeInput, async (_req, res) => {
    const q = rangeInput.of(res).query;
    const period = rangeOf(q, lastMonth);
    if (!('start' in period)) return sendInvalid(res, period);
    const [{ by, rows, ranking }, joint] = await Promise.all([rates(period, q), callins(period)]);
    res.json({ from: period.start, to: period.end, label: period.label, by, rows, ranking, callins: joint });
  });

  // 报到率 per called unit over the call-ins made in the range (吹哨报到).
  r.get('/api/admin/rates/callins.csv', rangeInput, async (_req, res) => {
    const q = rangeInput.of(res).query;
    const period = rangeOf(q, lastMonth);
    if (!('start' in period)) return sendInvalid(res, period);
    csv(res, `callins-${period.start}-${period.end}.csv`, CSV_BOM + tableToCsv(callinRateTable(await callins(period))));
  });

  r.get('/api/admin/rates.csv', rangeInput, async (_req, res) => {
    const q = rangeInput.of(res).query;
    const period = rangeOf(q, lastMonth);
    if (!('start' in period)) return sendInvalid(res, period);
    const { by, rows, ranking } = await rates(period, q);
    const table = ranking ? rankingTable(ranking) : rateTable('rates', '三率', by === 'unit' ? '承办单位' : '区', rows);
    csv(res, `rates-${by}-${period.start}-${period.end}.csv`, CSV_BOM + tableToCsv(table));
  });

  r.get('/api/admin/spikes', async (_req, res) => {
    const now = deps.now();
    const [live, alerts] = await Promise.all([
      cache.get(`spikes|${Math.floor(now.getTime() / 60_000)}`, () => detectSpikes(deps.db, { asOf: now })),
      deps.alerter.list(100).catch(() => []),
    ]);
    res.json({ asOf: now.toISOString(), live, alerts });
  });

  r.post('/api/admin/spikes/check', async (_req, res) => {
    const raised = await deps.alerter.check({ asOf: deps.now() });
    res.json({ raised });
  });
  return r;
}
