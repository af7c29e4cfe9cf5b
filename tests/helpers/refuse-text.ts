// Makes the ticket store refuse, for good, every ticket whose text holds `marker`: an insert that fails on
// each attempt, on PGlite and PostgreSQL alike (a CHECK constraint, NOT VALID so rows already there stay).
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/tickets/db.js';

/** Returns what lifts the refusal again. `marker` is letters and digits only (it is spliced into the SQL). */
export async function refuseTicketText(db: Db, marker: string): Promise<() => Promise<void>> {
  if (!/^[A-Za-z0-9]+$/.test(marker)) throw new Error(`marker must be letters and digits: ${marker}`);
  const name = `refuse_${marker.toLowerCase()}`;
  await db.execute(sql.raw(`alter table tickets add constraint ${name} check (position('${marker}' in text) = 0) not valid`));
  return async () => {
    await db.execute(sql.raw(`alter table tickets drop constraint if exists ${name}`));
  };
}
