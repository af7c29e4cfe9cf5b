// The charts of a report, as ECharts options built from the report's typed figures: one definition that the
// console draws in the browser and the HTML/PDF export draws on the server (ECharts' SVG renderer), so a chart
// looks the same wherever the report is read. Titles are not part of the options: each renderer sets the title
// above its chart, where it can never overlap a legend. A chart with nothing to show says so (`empty`) instead of
// drawing bare axes.
import type { RenderedReport } from './report-table.js';
import type { DailyData } from './daily-bulletin.js';
import type { AnalysisData } from './period-analysis.js';
import { categoryLabel, channelLabel } from './labels.js';

export interface ReportChart {
  id: string;
  title: string;
  /** An ECharts option with plain data only (no functions), so it travels as JSON. */
  option: Record<string, unknown>;
  empty: boolean;
  /** Tall charts (many bars) get more room. */
  tall?: boolean;
}

const BLUE = '#1565c0';
const GREY = '#90a4ae';
const RED = '#c62828';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function byChannel(rows: { key: string | null; count: number }[]): ReportChart {
  return {
    id: 'channels',
    title: '分渠道受理量',
    empty: sum(rows.map((r) => r.count)) === 0,
    option: {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, type: 'scroll' },
      series: [{ type: 'pie', radius: ['35%', '62%'], center: ['50%', '45%'], label: { formatter: '{b}\n{c}' }, data: rows.map((c) => ({ name: channelLabel(c.key), value: c.count })) }],
    },
  };
}

function dailySeries(series: { day: string; count: number }[]): ReportChart {
  return {
    id: 'series',
    title: '每日受理量',
    empty: sum(series.map((s) => s.count)) === 0,
    option: {
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 20, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: series.map((s) => s.day.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'line', data: series.map((s) => s.count), areaStyle: { opacity: 0.15 }, itemStyle: { color: RED } }],
    },
  };
}

function byCategory(rows: { key: string | null; count: number; previous?: number }[]): ReportChart {
  const top = rows.slice(0, 12).reverse();
  return {
    id: 'categories',
    title: '分类别受理量（与上期比较）',
    empty: sum(rows.map((r) => r.count + (r.previous ?? 0))) === 0,
    tall: true,
    option: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, right: 0, data: ['本期', '上期'] },
      grid: { left: 100, right: 20, top: 30, bottom: 20 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: top.map((c) => categoryLabel(c.key)) },
      series: [
        { name: '本期', type: 'bar', data: top.map((c) => c.count), itemStyle: { color: BLUE } },
        { name: '上期', type: 'bar', data: top.map((c) => c.previous ?? 0), itemStyle: { color: GREY } },
      ],
    },
  };
}

function byDistrict(rows: { key: string | null; count: number }[]): ReportChart {
  return {
    id: 'districts',
    title: '分区受理量',
    empty: sum(rows.map((r) => r.count)) === 0,
    option: {
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 20, top: 20, bottom: 70 },
      xAxis: { type: 'category', data: rows.map((x) => x.key ?? '未知'), axisLabel: { rotate: 40, interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: rows.map((x) => x.count), itemStyle: { color: BLUE } }],
    },
  };
}

function themes(d: AnalysisData, names: string[]): ReportChart {
  const ids = [...new Set(d.themes.map((t) => t.theme))];
  const buckets = [...new Set(d.themes.map((t) => t.bucket))];
  const count = (id: string, b: string) => d.themes.find((t) => t.theme === id && t.bucket === b)?.count ?? 0;
  return {
    id: 'themes',
    title: '专项主题走势',
    empty: sum(d.themes.map((t) => t.count)) === 0,
    option: {
      tooltip: { trigger: 'axis' },
      // The legend sits under the plot: above it, it collided with the title in narrow cards.
      legend: { bottom: 0, type: 'scroll', data: names },
      grid: { left: 50, right: 20, top: 20, bottom: 60 },
      xAxis: { type: 'category', data: buckets.map((b) => b.slice(2)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: ids.map((id, i) => ({ name: names[i] ?? id, type: 'line', data: buckets.map((b) => count(id, b)) })),
    },
  };
}

function districtRates(d: AnalysisData): ReportChart {
  const rates: [string, 'responseRate' | 'resolutionRate' | 'satisfactionRate'][] = [
    ['响应率', 'responseRate'],
    ['解决率', 'resolutionRate'],
    ['满意率', 'satisfactionRate'],
  ];
  const values = d.districtRates.flatMap((x) => rates.map(([, k]) => x[k])).filter((v): v is number => v !== null && v !== undefined);
  const min = values.length ? Math.max(0, Math.floor(Math.min(...values) * 100 - 5)) : 0;
  return {
    id: 'district-rates',
    title: '各区三率（%）',
    empty: values.length === 0,
    option: {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, data: rates.map(([n]) => n) },
      grid: { left: 50, right: 20, top: 20, bottom: 90 },
      xAxis: { type: 'category', data: d.districtRates.map((x) => x.key ?? '未知'), axisLabel: { rotate: 40, interval: 0 } },
      yAxis: { type: 'value', min, max: 100 },
      series: rates.map(([name, k]) => ({ name, type: 'bar', data: d.districtRates.map((x) => (x[k] === null || x[k] === undefined ? null : +(x[k]! * 100).toFixed(1))) })),
    },
  };
}

/** The charts shown with a report, in order. */
export function reportCharts(r: RenderedReport): ReportChart[] {
  if (r.meta.kind === 'daily') {
    const d = r.data as DailyData;
    return [byChannel(d.byChannel), byCategory(d.byCategory), byDistrict(d.byDistrict)];
  }
  const d = r.data as AnalysisData;
  const themeNames = (r.tables.find((t) => t.id === 'themes')?.rows ?? []).map((row) => String(row.theme));
  return [dailySeries(d.series), byCategory(d.byCategory), themes(d, themeNames), districtRates(d)];
}
