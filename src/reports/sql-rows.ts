// Runs a raw SQL report query and returns its rows, the same on PGlite and node-postgres (both put them in
// `.rows`). Counts are cast to ::int and ratios to ::float8 in the SQL itself, because node-postgres returns
// int8 and numeric as strings while PGlite returns numbers.
import type { SQL } from 'drizzle-orm';
import type { Db } from '../tickets/db.js';

export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = await db.execute(query);
  return (res as unknown as { rows: T[] }).rows;
}
