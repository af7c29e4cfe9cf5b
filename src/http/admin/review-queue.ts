// The review queue: what the bot did not handle well, for an operator to fix. Questions it could not answer
// or had to clarify (recorded by the intake), answers rated 没解决 (with the question they answered), question-like
// tickets, and complaints whose category staff corrected. Identical texts of one kind are one item (with how
// often they came); an item an operator dealt with (attached to an entry, made an entry, marked "not a
// question") is kept in kb_review_done and no longer shown.
import { createHash } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { Db } from '../../tickets/db.js';
import { kbReviewDone } from '../../tickets/schema.js';
import type { CategoryCorrections } from '../../tickets/category-corrections.js';
import type { UnsolvedQuestion } from '../../queue/faq-stats.js';
import { questionTickets, type UnansweredLog } from './unanswered.js';

export type ReviewKind = 'unanswered' | 'clarified' | 'unsolved' | 'ticket' | 'recategorized';
export type ReviewResolution = 'attached' | 'created' | 'dismissed';

export interface ReviewItem {
  key: string;
  kind: ReviewKind;
  text: string;
  /** How many times this text came (of this kind). */
  count: number;
  /** The newest time it came. */
  at: string;
  channel?: string;
  /** unanswered/clarified: the best candidate; unsolved: the entry given. */
  faqId?: string;
  ticket?: string;
  fromCategory?: string;
  toCategory?: string;
}

export interface ReviewSources {
  unanswered: UnansweredLog;
  unsolved: () => Promise<UnsolvedQuestion[]>;
  corrections: CategoryCorrections;
  db: Db;
  now: () => Date;
}

export function reviewKey(kind: ReviewKind, text: string): string {
  return createHash('sha256').update(`${kind}\u0000${text.trim()}`).digest('hex').slice(0, 24);
}

export async function reviewItems(src: ReviewSources): Promise<ReviewItem[]> {
  const [recorded, unsolved, tickets, corrections] = await Promise.all([
    src.unanswered.recent(1000).catch(() => []),
    src.unsolved().catch(() => []),
    questionTickets(src.db, src.now()),
    src.corrections.recent(200),
  ]);
  const byKey = new Map<string, ReviewItem>();
  const add = (item: Omit<ReviewItem, 'key' | 'count'>) => {
    const key = reviewKey(item.kind, item.text);
    const seen = byKey.get(key);
    if (seen) {
      seen.count += 1;
      if (item.at > seen.at) seen.at = item.at;
    } else byKey.set(key, { key, count: 1, ...item });
  };
  for (const u of recorded) add({ kind: u.reason ?? 'unanswered', text: u.text, at: u.at, ...(u.channel ? { channel: u.channel } : {}), ...(u.topFaq ? { faqId: u.topFaq } : {}) });
  for (const u of unsolved) add({ kind: 'unsolved', text: u.text, at: u.at, faqId: u.faqId });
  for (const t of tickets) add({ kind: 'ticket', text: t.text, at: t.at, ...(t.channel ? { channel: t.channel } : {}), ...(t.ticket ? { ticket: t.ticket } : {}) });
  for (const c of corrections) {
    add({ kind: 'recategorized', text: c.text, at: c.createdAt.toISOString(), ...(c.ticketNumber ? { ticket: c.ticketNumber } : {}), ...(c.fromCategory ? { fromCategory: c.fromCategory } : {}), toCategory: c.toCategory });
  }
  const items = [...byKey.values()];
  const done = items.length ? await src.db.select({ key: kbReviewDone.key }).from(kbReviewDone).where(inArray(kbReviewDone.key, items.map((i) => i.key))) : [];
  const hidden = new Set(done.map((d) => d.key));
  return items.filter((i) => !hidden.has(i.key)).sort((a, b) => b.count - a.count || (a.at < b.at ? 1 : -1));
}

/** Marks an item dealt with; a second resolution of the same key keeps the first. */
export async function resolveReviewItem(db: Db, key: string, resolution: ReviewResolution, actor: string, extra: { faqId?: string; kbVersion?: number } = {}): Promise<void> {
  await db
    .insert(kbReviewDone)
    .values({ key, resolution, actor, faqId: extra.faqId ?? null, kbVersion: extra.kbVersion ?? null })
    .onConflictDoNothing();
}
