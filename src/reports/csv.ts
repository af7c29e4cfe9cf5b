// CSV for spreadsheets, written by csv-stringify: RFC 4180 quoting (a cell with a comma, a quote or a line
// break is quoted), CRLF rows, a UTF-8 byte-order mark so Excel and WPS read Chinese, every text cell masked
// (phones, ID and bank numbers never leave in an export) and defused against formula injection as OWASP's
// CSV-injection guidance says: a text cell that a spreadsheet would run as a formula — one beginning with
// = + - @ (or their full-width forms, which WPS folds), a tab or a carriage return, also after leading
// spaces — gets a leading single quote, so it is shown as the text it is. Numbers go out as numbers.
import { stringify } from 'csv-stringify/sync';
import { maskPersonalData } from '../core/mask.js';
import type { Cell, ReportTable } from './report-table.js';

export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[\t\r]|^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
/**
 * The figures the exporter writes itself as text (change(): "+12", "-3（-5.0%）"). Only in a column declared
 * `figure` are they left as they are, and only when the whole cell is such a figure: nothing else fits.
 */
const OWN_FIGURE = /^[+-]?\d+(?:\.\d+)?%?(?:（[+-]?\d+(?:\.\d+)?%）)?$/;

/** The text a spreadsheet shows for a cell: masked, and defused unless it is the exporter's own figure. */
export function csvText(value: string, figure = false): string {
  const s = maskPersonalData(value);
  if (!FORMULA_START.test(s) || (figure && OWN_FIGURE.test(s))) return s;
  return `'${s}`;
}

function cellText(value: Cell | undefined, figure: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return csvText(value, figure);
}

export interface CsvOptions {
  /** Indexes of the columns that hold the exporter's own figures (see OWN_FIGURE). */
  figures?: ReadonlySet<number>;
  /** Starts with the byte-order mark (a whole file, rather than a part of one). */
  bom?: boolean;
}

/** Rows of cells as CSV text, each row ending in CRLF. */
export function toCsv(rows: (Cell | undefined)[][], opts: CsvOptions = {}): string {
  const figures = opts.figures ?? new Set<number>();
  const records = rows.map((row) => row.map((v, i) => cellText(v, figures.has(i))));
  // quoted_match: csv-stringify quotes a line break only when it is the record delimiter itself.
  return (opts.bom ? CSV_BOM : '') + stringify(records, { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

/** One table: an optional title row, the column labels, the rows. */
export function tableToCsv(table: ReportTable, withTitle = false): string {
  const figures = new Set(table.columns.flatMap((c, i) => (c.figure ? [i] : [])));
  const rows: (Cell | undefined)[][] = [];
  if (withTitle) rows.push([table.title]);
  const body = toCsv([table.columns.map((c) => c.label), ...table.rows.map((row) => table.columns.map((c) => row[c.key]))], { figures });
  return (withTitle ? toCsv(rows) : '') + body;
}
