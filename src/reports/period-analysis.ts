// 周汇总 and 月分析 share one builder: volume and its trend, the categories rising fastest, the busiest
// streets, the special themes followed over time, high-frequency items and the three rates. The monthly
// analysis adds the four-class street ranking, the departments' rates, the same month a year before, the
// problem list (src/reports/problem-list.ts) and, when units were called in, 吹哨报到's 报到率 (callin-rates.ts).
import type { Db } from '../tickets/db.js';
import { addMonths, labelAsOf, monthPeriod, previousPeriod, weekPeriod, type Period } from './period.js';
import { countBy, countReceived, flowCounts, type CountRow, type FlowCounts } from './volume.js';
import { busiestStreets, dailySeries, risingCategories, themeSeries, type DayCount, type RisingCategory, type StreetCount, type ThemePoint } from './trends.js';
import { highFrequencyItems, type HighFrequencyItem } from './high-frequency.js';
import { threeRatesBy, type RateGroup, type RateRow } from './rates.js';
import { rankStreets, type Ranking } from './ranking.js';
import { THEMES, categoryLabel, channelLabel } from './labels.js';
import { change, pct, type Cell, type RenderedReport, type ReportTable } from './report-table.js';
import { countTable, highFrequencyTable } from './daily-bulletin.js';
import { problemList, problemListTables, type ProblemListData } from './problem-list.js';
import { callinRates, callinRateTable, type CallinRateRow } from './callin-rates.js';

export interface AnalysisData {
  period: Period;
  previous: Period;
  flow: FlowCounts;
  previousReceived: number;
  /** Same period one year earlier (monthly only). */
  lastYearReceived?: number;
  series: DayCount[];
  byCategory: CountRow[];
  byChannel: CountRow[];
  byDistrict: CountRow[];
  rising: RisingCategory[];
  streets: StreetCount[];
  themes: ThemePoint[];
  highFrequency: HighFrequencyItem[];
  cityRates: RateRow | undefined;
  districtRates: RateRow[];
  ranking?: Ranking;
  unitRates?: RateRow[];
  /** Problem lists (monthly only): opened, solved, overdue, and before/after per solved problem. */
  problems?: ProblemListData;
  /** 报到率 per called unit (monthly only). */
  callinRates?: CallinRateRow[];
}

type Kind = 'weekly' | 'monthly';

export async function periodAnalysis(db: Db, kind: Kind, opts: { date: string; timeZone: string; now?: Date }): Promise<RenderedReport<AnalysisData>> {
  const now = opts.now ?? new Date();
  const tz = opts.timeZone;
  const period = kind === 'weekly' ? weekPeriod(opts.date, tz) : monthPeriod(opts.date, tz);
  const previous = previousPeriod(period, tz);
  // Themes: the last 8 weeks, or the last 12 months, ending with this period.
  const themePeriods: Period[] = [period];
  while (themePeriods.length < (kind === 'weekly' ? 8 : 12)) themePeriods.unshift(previousPeriod(themePeriods[0], tz));

  const rateGroups: RateGroup[] = kind === 'monthly' ? ['all', 'district', 'street', 'unit'] : ['all', 'district'];
  const [flow, previousReceived, series, byCategory, byChannel, byDistrict, rising, streets, themes, highFrequency, rates] = await Promise.all([
    flowCounts(db, period, now),
    countReceived(db, previous),
    dailySeries(db, period, tz),
    countBy(db, 'category', period, previous),
    countBy(db, 'channel', period, previous),
    countBy(db, 'district', period, previous),
    risingCategories(db, period, previous, 5),
    busiestStreets(db, period, previous, kind === 'weekly' ? 10 : 20),
    themeSeries(db, themePeriods, tz),
    highFrequencyItems(db, period, previous, 10),
    threeRatesBy(db, period, rateGroups, now),
  ]);
  const data: AnalysisData = {
    period,
    previous,
    flow,
    previousReceived,
    series,
    byCategory,
    byChannel,
    byDistrict,
    rising,
    streets,
    themes,
    highFrequency,
    cityRates: rates.all[0],
    districtRates: rates.district,
  };
  if (kind === 'monthly') {
    data.lastYearReceived = await countReceived(db, monthPeriod(addMonths(period.start, -12), tz));
    data.ranking = rankStreets(rates.street);
    data.unitRates = rates.unit;
    data.problems = await problemList(db, period, now);
    data.callinRates = await callinRates(db, period, now);
  }
  const unitWord = kind === 'weekly' ? '周' : '月';
  const headline: { label: string; value: Cell }[] = [
    { label: '受理量', value: flow.received },
    { label: `较上${unitWord}`, value: change(flow.received, previousReceived) },
  ];
  if (data.lastYearReceived !== undefined)
    headline.push({ label: '较去年同月', value: data.lastYearReceived ? change(flow.received, data.lastYearReceived) : '无同期数据' });
  headline.push(
    { label: '办结量', value: flow.closed },
    { label: '逾期件', value: flow.becameOverdue },
    { label: '响应率', value: pct(data.cityRates?.responseRate) },
    { label: '解决率', value: pct(data.cityRates?.resolutionRate) },
    { label: '满意率', value: pct(data.cityRates?.satisfactionRate) },
  );
  const label = labelAsOf(period, now, tz);
  return {
    meta: {
      kind,
      title: kind === 'weekly' ? `12345热线周汇总（${label}）` : `12345热线月度分析（${label}）`,
      periodLabel: label,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      generatedAt: now.toISOString(),
      timeZone: tz,
    },
    headline,
    tables: analysisTables(data, kind),
    data,
  };
}

const RATE_COLUMNS = [
  { key: 'total', label: '受理量' },
  { key: 'response', label: '响应率' },
  { key: 'resolution', label: '解决率' },
  { key: 'satisfaction', label: '满意率' },
  { key: 'score', label: '综合得分' },
];

export function rateCells(r: RateRow): Record<string, Cell> {
  return {
    total: r.total,
    response: pct(r.responseRate),
    resolution: pct(r.resolutionRate),
    satisfaction: pct(r.satisfactionRate),
    score: r.score,
  };
}

export function rateTable(id: string, title: string, keyLabel: string, rows: RateRow[], withDistrict = false): ReportTable {
  return {
    id,
    title,
    columns: [...(withDistrict ? [{ key: 'district', label: '区' }] : []), { key: 'name', label: keyLabel }, ...RATE_COLUMNS],
    rows: rows.map((r) => ({ ...(withDistrict ? { district: r.district } : {}), name: r.key, ...rateCells(r) })),
    note: '综合得分 = 响应率×10% + 解决率×45% + 满意率×45%；未到期且未办理的工单不计入。',
  };
}

export function rankingTable(ranking: Ranking, limit?: number): ReportTable {
  const rows = limit ? ranking.ranked.filter((r, i) => i < limit || r.class === '治理类') : ranking.ranked;
  return {
    id: 'ranking',
    title: '街乡镇四类排名',
    columns: [
      { key: 'rank', label: '名次' },
      { key: 'class', label: '类别' },
      { key: 'district', label: '区' },
      { key: 'name', label: '街乡镇' },
      ...RATE_COLUMNS,
      { key: 'reason', label: '依据' },
    ],
    rows: rows.map((r) => ({ rank: r.rank, class: r.class, district: r.district, name: r.key, ...rateCells(r), reason: r.reason })),
    note: `先进类${ranking.counts['先进类']}个、较好类${ranking.counts['较好类']}个、一般类${ranking.counts['一般类']}个、治理类${ranking.counts['治理类']}个；受理量不足10件的${ranking.unranked.length}个街乡镇不参与排名。`,
  };
}

function analysisTables(d: AnalysisData, kind: Kind): ReportTable[] {
  const prevLabel = kind === 'weekly' ? '上周' : '上月';
  const tables: ReportTable[] = [
    {
      id: 'daily-series',
      title: '每日受理量',
      columns: [
        { key: 'day', label: '日期' },
        { key: 'count', label: '受理量' },
      ],
      rows: d.series.map((s) => ({ day: s.day, count: s.count })),
    },
    countTable('by-category', '分类别受理量', '类别', d.byCategory, categoryLabel, prevLabel),
    {
      id: 'rising',
      title: '增长最快的类别',
      columns: [
        { key: 'category', label: '类别' },
        { key: 'count', label: '数量' },
        { key: 'previous', label: prevLabel },
        { key: 'change', label: '变化', figure: true },
      ],
      rows: d.rising.map((r) => ({ category: categoryLabel(r.category), count: r.count, previous: r.previous, change: change(r.count, r.previous) })),
    },
    {
      id: 'streets',
      title: '诉求量最多的街乡镇',
      columns: [
        { key: 'rank', label: '排名' },
        { key: 'district', label: '区' },
        { key: 'street', label: '街乡镇' },
        { key: 'count', label: '数量' },
        { key: 'previous', label: prevLabel },
        { key: 'change', label: '变化', figure: true },
      ],
      rows: d.streets.map((s, i) => ({ rank: i + 1, district: s.district, street: s.street, count: s.count, previous: s.previous, change: change(s.count, s.previous) })),
    },
    themesTable(d),
    highFrequencyTable(d.highFrequency, prevLabel),
    countTable('by-channel', '分渠道受理量', '渠道', d.byChannel, channelLabel, prevLabel),
    rateTable('district-rates', '各区三率', '区', d.districtRates),
  ];
  if (d.ranking) tables.push(rankingTable(d.ranking, 20));
  if (d.unitRates) tables.push(rateTable('unit-rates', '承办单位三率', '承办单位', d.unitRates.filter((u) => u.total >= 10).slice(0, 30)));
  if (d.problems) tables.push(...problemListTables(d.problems, (c) => (c ? categoryLabel(c) : '—')));
  if (d.callinRates?.length) tables.push(callinRateTable(d.callinRates));
  return tables;
}

function themesTable(d: AnalysisData): ReportTable {
  const buckets = [...new Set(d.themes.map((t) => t.bucket))];
  return {
    id: 'themes',
    title: '专项主题走势',
    columns: [{ key: 'theme', label: '主题' }, ...buckets.map((b) => ({ key: b, label: b }))],
    rows: THEMES.map((t) => {
      const row: Record<string, Cell> = { theme: t.name };
      for (const p of d.themes.filter((x) => x.theme === t.id)) row[p.bucket] = p.count;
      return row;
    }),
  };
}

export function weeklySummary(db: Db, opts: { date: string; timeZone: string; now?: Date }) {
  return periodAnalysis(db, 'weekly', opts);
}

export function monthlyAnalysis(db: Db, opts: { date: string; timeZone: string; now?: Date }) {
  return periodAnalysis(db, 'monthly', opts);
}
