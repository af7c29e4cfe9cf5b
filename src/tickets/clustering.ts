// Duplicate reports: many citizens report one fallen tree or one dark street light. A new ticket about the
// same problem (same category, same street, similar text) as an open ticket from the last few days is linked
// to it, so the office handles it once and every reporter hears back when the primary moves.
import type { BatchPrimary, ClusterCandidate, PrimaryTicket, TicketStore } from './ticket-store.js';
import { sameProblem, TextFeatureCache, type SamenessBars } from './similarity.js';

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

const DAY_MS = 24 * 3600_000;

/**
 * The primary for each of a batch of new tickets, in order (none without a street and category: never
 * guessed): an open stored ticket, or an earlier ticket of the same batch that is not itself a duplicate — so
 * two first reports of one problem arriving together are linked too, instead of both becoming primaries.
 */
export async function findPrimaries(store: TicketStore, inputs: ClusterInput[], opts: ClusteringOptions): Promise<(PrimaryTicket | BatchPrimary | undefined)[]> {
  const keyOf = (i: ClusterInput) => (i.category && i.street ? `${i.category}\u0000${i.street}` : undefined);
  const places = new Map<string, { category: string; street: string }>();
  for (const i of inputs) {
    const key = keyOf(i);
    if (key && !places.has(key)) places.set(key, { category: i.category!, street: i.street! });
  }
  if (!places.size) return inputs.map(() => undefined);
  const windowMs = opts.windowDays * DAY_MS;
  const since = new Date(Math.min(...inputs.map((i) => i.receivedAt.getTime())) - windowMs);
  const stored = new Map<string, ClusterCandidate[]>();
  for (const c of await store.openAtAny([...places.values()], since)) {
    const key = `${c.category}\u0000${c.street}`;
    stored.set(key, [...(stored.get(key) ?? []), c]);
  }
  const firstReports = new Map<string, number[]>();
  const features = new TextFeatureCache();
  return inputs.map((input, k) => {
    const key = keyOf(input);
    if (!key) return undefined;
    const from = input.receivedAt.getTime() - windowMs;
    let best: PrimaryTicket | BatchPrimary | undefined;
    for (const c of stored.get(key) ?? []) {
      if (c.createdAt.getTime() < from) continue;
      // The place names are the same by construction; comparing them would only inflate the score.
      const s = sameProblem(input.text, c.text, [input.street, input.district, c.district], opts, features);
      if (s.same && (!best || s.score > best.score)) best = { id: c.id, number: c.number, status: c.status, unit: c.unit, score: s.score, ...(s.spot ? { spot: s.spot } : {}) };
    }
    for (const j of firstReports.get(key) ?? []) {
      const other = inputs[j];
      if (other.receivedAt.getTime() < from) continue;
      const s = sameProblem(input.text, other.text, [input.street, input.district, other.district], opts, features);
      if (s.same && (!best || s.score > best.score)) best = { batchIndex: j, score: s.score, ...(s.spot ? { spot: s.spot } : {}) };
    }
    if (!best) firstReports.set(key, [...(firstReports.get(key) ?? []), k]);
    return best;
  });
}
