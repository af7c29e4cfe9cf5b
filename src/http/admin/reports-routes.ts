// Report endpoints for the console: the daily / weekly / monthly reports as JSON, Markdown or CSV; the heat
// map; the three rates with the street ranking; spikes (live, plus the alerts raised). CSV and Markdown are
// masked by the renderers; JSON tables carry no personal data (counts and place names only).
import express from 'express';
import { z } from 'zod';
import type { Db } from '../../tickets/db.js';
import { sendError } from '../http-errors.js';
import { buildReport, isReportKind } from '../../reports/build-report.js';
import { renderReport } from '../../reports/render.js';
import { addDays, lastCompletePeriod, localDate, rangePeriod, type Period } from '../../reports/period.js';
import { heatMap } from '../../reports/heatmap.js';
import { threeRates, RATE_GROUPS } from '../../reports/rates.js';
import { rankStreets } from '../../reports/ranking.js';
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
}

const DateQ = z.iso.date();
const RangeQuery = z.object({
  from: DateQ.optional(),
  to: DateQ.optional(),
  district: z.string().max(32).optional(),
  top: z.coerce.number().int().min(1).max(400).optional(),
  by: z.enum(RATE_GROUPS).optional(),
});

function csv(res: express.Response, name: string, body: string): void {
  res.type('text/csv; charset=utf-8').attachment(name).send(body);
}

export function reportsRoutes(deps: ReportsRoutesDeps): express.Router {
  const r = express.Router();
  const cache = new ReportCache();
  const tz = deps.timeZone;

  /** A whole-day range from the query; `fallback` when none is given. */
  const rangeOf = (q: { from?: string; to?: string }, fallback: () => Period): Period => {
    if (!q.from && !q.to) return fallback();
    const to = q.to ?? localDate(deps.now(), tz);
    const from = q.from ?? addDays(to, -29);
    return rangePeriod(from, to, tz);
  };
  const last30 = () => rangePeriod(addDays(localDate(deps.now(), tz), -29), localDate(deps.now(), tz), tz);
  const lastMonth = () => lastCompletePeriod('month', deps.now(), tz);

  r.get('/api/admin/reports/:file', async (req, res) => {
    const m = /^(daily|weekly|monthly)(?:\.(json|csv|md))?$/.exec(req.params.file);
    if (!m || !isReportKind(m[1])) return sendError(res, 404, 'not_found', 'reports are daily, weekly or monthly, as .json, .csv or .md');
    const date = typeof req.query.date === 'string' && req.query.date ? req.query.date : undefined;
    if (date !== undefined && !DateQ.safeParse(date).success) return sendError(res, 400, 'invalid_date', 'date must be YYYY-MM-DD');
    const kind = m[1];
    const report = await cache.get(`${kind}|${date ?? ''}|${localDate(deps.now(), tz)}`, () => buildReport(deps.db, kind, { date, timeZone: tz, now: deps.now() }));
    const format = m[2] ?? 'json';
    const table = typeof req.query.table === 'string' ? req.query.table : undefined;
    if (format === 'json') return res.json(report);
    try {
      const body = renderReport(report, format === 'csv' ? 'csv' : 'md', table);
      const name = `${kind}-${report.meta.periodLabel.replace(/[^\d]+/g, '-').replace(/^-|-$/g, '')}${table ? `-${table}` : ''}`;
      if (format === 'csv') return csv(res, `${name}.csv`, body);
      res.type('text/markdown; charset=utf-8').attachment(`${name}.md`).send(body);
    } catch (err) {
      sendError(res, 400, 'invalid_table', (err as Error).message);
    }
  });

  const heat = async (q: z.infer<typeof RangeQuery>) => {
    const period = rangeOf(q, last30);
    const key = `heat|${period.start}|${period.end}|${q.district ?? ''}|${q.top ?? 30}`;
    return { period, map: await cache.get(key, () => heatMap(deps.db, period, { district: q.district, topStreets: q.top ?? 30 })) };
  };

  r.get('/api/admin/heatmap', async (req, res) => {
    const q = RangeQuery.safeParse(req.query);
    if (!q.success) return sendError(res, 400, 'invalid_query', q.error.issues[0].message);
    const { period, map } = await heat(q.data);
    res.json({ from: period.start, to: period.end, label: period.label, ...map, categoryLabels: map.categories.map(categoryLabel) });
  });

  r.get('/api/admin/heatmap.csv', async (req, res) => {
    const q = RangeQuery.safeParse(req.query);
    if (!q.success) return sendError(res, 400, 'invalid_query', q.error.issues[0].message);
    const { period, map } = await heat(q.data);
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

  const rates = async (q: z.infer<typeof RangeQuery>) => {
    const period = rangeOf(q, lastMonth);
    const by = q.by ?? 'street';
    const rows = await cache.get(`rates|${by}|${period.start}|${period.end}|${localDate(deps.now(), tz)}`, () => threeRates(deps.db, period, by, deps.now()));
    return { period, by, rows, ranking: by === 'street' ? rankStreets(rows) : undefined };
  };

  r.get('/api/admin/rates', async (req, res) => {
    const q = RangeQuery.safeParse(req.query);
    if (!q.success) return sendError(res, 400, 'invalid_query', q.error.issues[0].message);
    const { period, by, rows, ranking } = await rates(q.data);
    res.json({ from: period.start, to: period.end, label: period.label, by, rows, ranking });
  });

  r.get('/api/admin/rates.csv', async (req, res) => {
    const q = RangeQuery.safeParse(req.query);
    if (!q.success) return sendError(res, 400, 'invalid_query', q.error.issues[0].message);
    const { period, by, rows, ranking } = await rates(q.data);
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
