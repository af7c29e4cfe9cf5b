// CSV for spreadsheets: RFC 4180 quoting, a UTF-8 byte-order mark so Excel reads Chinese, every text cell
// masked (phones, ID and bank numbers never leave in an export) and formula-looking cells defused.
import { maskPersonalData } from '../core/mask.js';
import type { Cell, ReportTable } from './report-table.js';

export const CSV_BOM = '\uFEFF';

export function csvCell(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = maskPersonalData(value);
  // A cell starting with = + - @ is run as a formula by spreadsheets; "+12" or "-3（-5%）" are our own changes.
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: (Cell | undefined)[]): string {
  return cells.map(csvCell).join(',');
}

export function tableToCsv(table: ReportTable, withTitle = false): string {
  const lines: string[] = [];
  if (withTitle) lines.push(csvLine([table.title]));
  lines.push(csvLine(table.columns.map((c) => c.label)));
  for (const row of table.rows) lines.push(csvLine(table.columns.map((c) => row[c.key])));
  return lines.join('\r\n') + '\r\n';
}
