// A report as one self-contained HTML file, laid out as the bulletin a city circulates: a red masthead, the key
// figures, the charts drawn in as SVG on the server (ECharts' SSR renderer, so the file makes no network request
// and needs no script when opened), then every table. Its print style is A4, which is what the PDF export prints.
// Personal numbers are masked, as in every rendering of a report: reports leave the building.
import * as echarts from 'echarts';
import { maskPersonalData } from '../core/mask.js';
import { reportCharts, type ReportChart } from './report-charts.js';
import type { Cell, RenderedReport, ReportTable } from './report-table.js';

const FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";
const CHART_WIDTH = 640;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
const text = (v: Cell | undefined) => (v === null || v === undefined ? '' : esc(maskPersonalData(String(v))));

/** One chart as an SVG string, or the words 暂无数据 when it has nothing to show. */
export function chartSvg(c: ReportChart): string {
  if (c.empty) return `<p class="empty">暂无数据</p>`;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: c.tall ? 380 : 300 });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...c.option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function tableHtml(t: ReportTable): string {
  const numeric = new Set(t.columns.filter((c) => t.rows.some((r) => typeof r[c.key] === 'number')).map((c) => c.key));
  const head = t.columns.map((c) => `<th scope="col"${numeric.has(c.key) ? ' class="num"' : ''}>${text(c.label)}</th>`).join('');
  const body = t.rows.length
    ? t.rows.map((r) => `<tr>${t.columns.map((c) => `<td${numeric.has(c.key) ? ' class="num"' : ''}>${text(r[c.key])}</td>`).join('')}</tr>`).join('\n')
    : `<tr><td colspan="${t.columns.length}" class="empty">暂无数据</td></tr>`;
  return `<section class="table"><h2>${text(t.title)}</h2>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>${t.note ? `<p class="note">注：${text(t.note)}</p>` : ''}</section>`;
}

function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

const STYLE = `
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: ${FONT}; color: #1a1a1a; margin: 0 auto; max-width: 190mm; padding: 8mm 0; line-height: 1.5; font-size: 11pt; }
header { text-align: center; border-bottom: 3px solid #b71c1c; padding-bottom: 4mm; margin-bottom: 6mm; }
header .org { color: #b71c1c; font-size: 24pt; font-weight: bold; letter-spacing: 0.1em; margin: 0; }
header h1 { font-size: 15pt; margin: 3mm 0 1mm; }
header .period { color: #444; margin: 0; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; margin: 0 0 6mm; padding: 0; list-style: none; }
.kpis li { border: 1px solid #ccc; border-radius: 2mm; padding: 2mm 3mm; }
.kpis .label { display: block; color: #444; font-size: 9pt; }
.kpis .value { font-size: 14pt; font-weight: bold; }
figure { margin: 0 0 5mm; break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 1mm; }
figure svg { width: 100%; height: auto; }
h2 { font-size: 12pt; border-left: 4px solid #b71c1c; padding-left: 2mm; margin: 6mm 0 2mm; break-after: avoid; }
table { width: 100%; border-collapse: collapse; font-size: 9.5pt; }
th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
.note { color: #444; font-size: 9pt; margin: 1mm 0 0; }
.empty { color: #555; text-align: center; padding: 4mm; }
footer { margin-top: 8mm; border-top: 1px solid #bbb; padding-top: 2mm; color: #444; font-size: 9pt; }
`;

export function reportToHtml(r: RenderedReport): string {
  const charts = reportCharts(r)
    .map((c) => `<figure><figcaption>${esc(c.title)}</figcaption>${chartSvg(c)}</figure>`)
    .join('\n');
  const kpis = r.headline.map((h) => `<li><span class="label">${text(h.label)}</span><span class="value">${text(h.value)}</span></li>`).join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(r.meta.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><p class="org">12345市民服务热线</p><h1>${text(r.meta.title)}</h1><p class="period">${text(r.meta.periodLabel)}</p></header>
<main>
<ul class="kpis">${kpis}</ul>
${charts}
${r.tables.map(tableHtml).join('\n')}
</main>
<footer>生成时间：${esc(localTime(r.meta.generatedAt, r.meta.timeZone))}（${esc(r.meta.timeZone)}）· 电话、身份证、银行卡号已脱敏</footer>
</body>
</html>
`;
}
