// Many rows in one INSERT whose text never changes: each column travels as one array parameter and unnest()
// turns the arrays back into rows. Drizzle's multi-row insert builds a statement with a parameter per value
// (2,000 for a batch of 100 tickets) and spent more CPU building it than PostgreSQL spent running it.
// Column names, SQL types and value mapping come from the Drizzle schema, so this stays in step with it.
import { getTableColumns, getTableName, sql, type Table } from 'drizzle-orm';
import type { Db } from './db.js';

interface Column {
  name: string;
  getSQLType(): string;
  mapToDriverValue(value: unknown): unknown;
  mapFromDriverValue(value: unknown): unknown;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
// A serial column is an integer with a default: `serial` names no type a value can be cast to.
const CAST_TYPE: Record<string, string> = { serial: 'integer', bigserial: 'bigint', smallserial: 'smallint' };
const castType = (column: Column) => CAST_TYPE[column.getSQLType()] ?? column.getSQLType();

/** A value as PostgreSQL's text input for its column (cast back by the statement). */
function asText(column: Column, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const v = column.mapToDriverValue(value);
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export interface InsertManyOptions {
  /** ON CONFLICT (this column) DO NOTHING: rows that conflict are skipped and not returned. */
  skipConflictsOn?: string;
  returning?: boolean;
}

/** Inserts `rows` (objects keyed by the table's property names) and returns the inserted rows, mapped like Drizzle's. */
export async function insertMany<T extends Table>(
  db: Db,
  table: T,
  rows: T['$inferInsert'][],
  opts: InsertManyOptions = {},
): Promise<T['$inferSelect'][]> {
  if (!rows.length) return [];
  const columns = getTableColumns(table) as unknown as Record<string, Column>;
  // Every property any row sets; a row without one gets NULL (no schema default), so rows must agree.
  const props = [...new Set(rows.flatMap((r) => Object.keys(r as object)))].filter((p) => columns[p]);
  const arrays = props.map((p) => sql.param(rows.map((r) => asText(columns[p], (r as Record<string, unknown>)[p]))));
  const names = props.map((p) => quote(columns[p].name));
  const aliases = props.map((_, i) => `c${i}`);
  const casts = props.map((p, i) => `u.c${i}::${castType(columns[p])}`);
  const unnest = sql.join(arrays.map((a) => sql`${a}::text[]`), sql`, `);
  const conflict = opts.skipConflictsOn ? sql.raw(` on conflict (${quote(opts.skipConflictsOn)}) do nothing`) : sql``;
  const returning = opts.returning ? sql.raw(' returning *') : sql``;
  const res = await db.execute(
    sql`insert into ${sql.raw(quote(getTableName(table)))} (${sql.raw(names.join(', '))}) select ${sql.raw(casts.join(', '))} from unnest(${unnest}) as u(${sql.raw(aliases.join(', '))})${conflict}${returning}`,
  );
  if (!opts.returning) return [];
  const raw = (res as unknown as { rows: Record<string, unknown>[] }).rows;
  const entries = Object.entries(columns);
  return raw.map((r) => Object.fromEntries(entries.map(([prop, c]) => [prop, r[c.name] === null || r[c.name] === undefined ? null : c.mapFromDriverValue(r[c.name])]))) as T['$inferSelect'][];
}
