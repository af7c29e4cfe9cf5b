// Runs a raw SQL report query and returns its rows, the same on PGlite and node-postgres (both put them in
// `.rows`). Counts are cast to ::int and ratios to ::float8 in the SQL itself, because node-postgres returns
// int8 and numeric as strings while PGlite returns numbers.
//
// Each query runs in its own short transaction with two settings for analytical work: more memory for
// hash aggregates over a month of events (the 4 MB default spills to disk), and no JIT, whose compile time
// (~100 ms) costs more than it saves on queries of this size.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../tickets/db.js';

export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '64MB'`);
    await tx.execute(sql`set local jit = off`);
    const res = await tx.execute(query);
    return (res as unknown as { rows: T[] }).rows;
  });
}
