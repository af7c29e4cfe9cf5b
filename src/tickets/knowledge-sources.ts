// What the knowledge sync (src/queue/knowledge-sync.ts) loads from the database into a running NLU: the newest
// knowledge-base version, and the category corrections the category model has not learnt yet.
import type { Nlu } from '../nlu/decision.js';
import type { KbEntry } from '../nlu/kb.js';
import type { CategoryCorrections } from './category-corrections.js';

/** Something every gateway keeps current from the database (src/queue/knowledge-sync.ts refreshes it). */
export interface KnowledgeSource {
  /** What it is, for the logs. */
  readonly name: string;
  /** Loads whatever is newer than what is served; cheap when nothing changed. */
  refresh(): Promise<void>;
}
import type { KbStore } from './kb-store.js';

export interface KbSource extends KnowledgeSource {
  /** The version served now (0 before the first load). */
  served(): number;
}

/** Seeds the database from `seed` when it holds no knowledge base, then serves its newest version. */
export function kbSource(store: KbStore, nlu: Pick<Nlu, 'useEntries'>, seed: { entries: () => Promise<KbEntry[]>; from: string }): KbSource {
  let served = 0;
  return {
    name: 'knowledge base',
    served: () => served,
    async refresh() {
      const latest = await store.latestVersion();
      if (latest === 0) await store.seed(await seed.entries(), { actor: 'system', action: 'seed', note: seed.from });
      else if (latest <= served) return;
      const current = await store.current();
      if (!current || current.version <= served) return;
      nlu.useEntries(current.entries);
      served = current.version;
    },
  };
}

/** Adds every correction not yet learnt to the category model (it retrains on taxonomy examples + corrections). */
export function correctionsSource(corrections: CategoryCorrections, nlu: Pick<Nlu, 'trainCategories'>): KnowledgeSource & { learnt(): number } {
  let learnt = 0;
  return {
    name: 'category corrections',
    learnt: () => learnt,
    async refresh() {
      const fresh = await corrections.since(learnt);
      if (!fresh.length) return;
      nlu.trainCategories(fresh.map((c) => ({ text: c.text, category: c.toCategory })));
      learnt = fresh.at(-1)!.id;
    },
  };
}
