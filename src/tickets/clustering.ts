// Duplicate reports: many citizens report one fallen tree or one dark street light. A new ticket about the
// same problem (same category, same street, similar text) as an open ticket from the last few days is linked
// to it, so the office handles it once and every reporter hears back when the primary moves.
import type { TicketStore, PrimaryTicket } from './ticket-store.js';
import { sameProblem, type SamenessBars } from './similarity.js';

export interface ClusteringOptions extends SamenessBars {
  windowDays: number;
}

export interface ClusterInput {
  text: string;
  category?: string | null;
  district?: string | null;
  street?: string | null;
  receivedAt: Date;
}

/** The best-matching open ticket to link a new one to, or undefined (no street or category: never guessed). */
export async function findPrimary(store: TicketStore, input: ClusterInput, opts: ClusteringOptions): Promise<PrimaryTicket | undefined> {
  if (!input.category || !input.street) return undefined;
  const since = new Date(input.receivedAt.getTime() - opts.windowDays * 24 * 3600_000);
  const candidates = await store.openAt(input.category, input.street, since);
  let best: PrimaryTicket | undefined;
  for (const c of candidates) {
    // The place names are the same by construction; comparing them would only inflate the score.
    const s = sameProblem(input.text, c.text, [input.street, input.district, c.district], opts);
    if (s.same && (!best || s.score > best.score)) best = { id: c.id, number: c.number, status: c.status, unit: c.unit, score: s.score, ...(s.spot ? { spot: s.spot } : {}) };
  }
  return best;
}
