// What the database's sessions are waiting on while tickets are written, sampled from pg_stat_activity.
// A queue of sessions on one lock is a serialization point no number of workers can get past — the figure
// that explains a low tickets/s, so it goes into the results next to it.
import pg from 'pg';
import { sleep } from './stats.js';

export interface WaitSample {
  /** `wait_event_type:wait_event (state) | first words of the query` */
  what: string;
  /** Mean number of sessions in this state per sample. */
  sessions: number;
}

export function sampleDbWaits(databaseUrl: string, everyMs = 250): { stop(): Promise<WaitSample[]> } {
  const client = new pg.Client({ connectionString: databaseUrl });
  const dbName = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  let result: Promise<WaitSample[]> | undefined;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const r = await client.query<{ w: string; q: string }>(
        `select coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-') || ' (' || state || ')' as w,
                regexp_replace(left(query, 48), '\\s+', ' ', 'g') as q
           from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and state not in ('idle')`,
        [dbName],
      );
      samples++;
      for (const row of r.rows) counts.set(`${row.w} | ${row.q}`, (counts.get(`${row.w} | ${row.q}`) ?? 0) + 1);
      await sleep(everyMs);
    }
  })().catch(() => {});
  return {
    // Idempotent: the caller stops it when done, and again (harmlessly) on the way out of a failure.
    stop: () => (result ??= (async () => {
      running = false;
      await loop;
      await client.end().catch(() => {});
      return [...counts]
        .map(([what, n]) => ({ what, sessions: Math.round((n / Math.max(1, samples)) * 100) / 100 }))
        .sort((a, b) => b.sessions - a.sessions)
        .slice(0, 6);
    })()),
  };
}
