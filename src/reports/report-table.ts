// The one shape every report is rendered from: titled tables of plain cells. Markdown, CSV, JSON and the
// console's tables all read this, so a number is computed once and shown the same everywhere.

export type Cell = string | number | null;

export interface ReportTable {
  id: string;
  title: string;
  /** `figure`: the column holds figures the exporter writes as text ("+12", "-3（-5.0%）"), kept as they are in CSV. */
  columns: { key: string; label: string; figure?: boolean }[];
  rows: Record<string, Cell>[];
  /** One line under the table: how the figures were made. */
  note?: string;
}

export interface ReportMeta {
  kind: 'daily' | 'weekly' | 'monthly';
  title: string;
  periodLabel: string;
  from: string;
  to: string;
  generatedAt: string;
  timeZone: string;
}

export interface RenderedReport<D = unknown> {
  meta: ReportMeta;
  /** Key figures for the headline, in order. */
  headline: { label: string; value: Cell }[];
  tables: ReportTable[];
  /** The typed figures behind the tables, for charts. */
  data: D;
}

export function pct(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;
}

/** "+12" / "-3" / "0", and the relative change when the base is not zero. */
export function change(now: number, before: number): string {
  const d = now - before;
  const sign = d > 0 ? '+' : '';
  if (before === 0) return `${sign}${d}`;
  return `${sign}${d}（${sign}${((d / before) * 100).toFixed(1)}%）`;
}
