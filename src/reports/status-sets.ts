// Which statuses count as what in the reports. Kept in one place so the SQL of every report agrees.
import { sql, type SQL } from 'drizzle-orm';

/** The office has acted on the ticket: its first such event is the "response". */
export const RESPONSE_STATUSES = ['in_progress', 'resolved', 'visited'] as const;
/** The ticket is finished (办结): resolved, and after the return visit, visited. */
export const CLOSED_STATUSES = ['resolved', 'visited'] as const;
/** No longer anyone's work: closed, or refused as outside the hotline's remit. */
export const FINISHED_STATUSES = ['resolved', 'visited', 'rejected'] as const;

export function sqlList(values: readonly string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}
