// Renders a report as Markdown (the bulletin as it is circulated), CSV (one section per table, or one
// table) or JSON. All three mask personal numbers: reports leave the building.
import { maskPersonalData } from '../core/mask.js';
import { CSV_BOM, tableToCsv, toCsv } from './csv.js';
import type { Cell, RenderedReport, ReportTable } from './report-table.js';

export type ReportFormat = 'md' | 'csv' | 'json';

function mdCell(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  return maskPersonalData(String(v)).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function tableToMarkdown(t: ReportTable): string {
  const out = [`## ${t.title}`, ''];
  if (!t.rows.length) out.push('（无）');
  else {
    out.push(`| ${t.columns.map((c) => mdCell(c.label)).join(' | ')} |`);
    out.push(`| ${t.columns.map(() => '---').join(' | ')} |`);
    for (const r of t.rows) out.push(`| ${t.columns.map((c) => mdCell(r[c.key])).join(' | ')} |`);
  }
  if (t.note) out.push('', `注：${t.note}`);
  return out.join('\n');
}

export function reportToMarkdown(r: RenderedReport): string {
  const parts = [`# ${r.meta.title}`, '', r.headline.map((h) => `- **${h.label}**：${mdCell(h.value)}`).join('\n')];
  for (const t of r.tables) parts.push('', tableToMarkdown(t));
  parts.push('', `_生成时间：${r.meta.generatedAt}（${r.meta.timeZone}）_`, '');
  return parts.join('\n');
}

/** The whole report as one CSV (headline, then each table under its title), or just the table `tableId`. */
export function reportToCsv(r: RenderedReport, tableId?: string): string {
  if (tableId) {
    const t = r.tables.find((x) => x.id === tableId);
    if (!t) throw new RangeError(`no table ${tableId} in this report (have: ${r.tables.map((x) => x.id).join(', ')})`);
    return CSV_BOM + tableToCsv(t);
  }
  // The headline's values are the exporter's own figures (counts, rates, changes).
  const parts = [toCsv([[r.meta.title], ...r.headline.map((h) => [h.label, h.value])], { figures: new Set([1]) })];
  for (const t of r.tables) parts.push(tableToCsv(t, true));
  return CSV_BOM + parts.join('\r\n');
}

/** JSON without the typed `data` blob's Date objects surprises: dates become ISO strings, strings are masked. */
export function reportToJson(r: RenderedReport): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'string' ? maskPersonalData(v) : v), 2);
}

export function renderReport(r: RenderedReport, format: ReportFormat, tableId?: string): string {
  if (format === 'md') return reportToMarkdown(r);
  if (format === 'csv') return reportToCsv(r, tableId);
  return reportToJson(r);
}
