// Every change to the knowledge base goes through here (console, API, review queue, restore): the new list of
// entries is made from the current version, the eval cases are run against it next to what is served now, a
// regression is refused unless confirmed, and the change is written as a new version — only if the current
// version is still the one the change was made from — then served here at once and announced to every
// other gateway.
import type { Nlu } from '../../nlu/decision.js';
import type { KbEntry } from '../../nlu/kb.js';
import type { EvalCase } from '../../nlu/eval.js';
import { diffEval, type EvalDiff } from '../../nlu/eval-diff.js';
import { checked, type KbChange, type KbStore, type KbVersion } from '../../tickets/kb-store.js';

export class KbRegressionError extends Error {
  constructor(readonly diff: EvalDiff) {
    super('this change makes eval cases worse; publish it again with confirm to keep it anyway');
  }
}

export interface KbEditorDeps {
  store: KbStore;
  nlu: Nlu;
  /** The eval cases a change is measured on (none: nothing is measured, nothing refused). */
  cases: () => EvalCase[];
  /** Serves the newest version here (the knowledge sync's refresh). */
  refresh: () => Promise<void>;
  /** Tells the other gateways. */
  announce: () => Promise<void>;
  /** The version this process serves now. */
  served: () => number;
}

export interface KbPublished {
  version: KbVersion;
  diff: EvalDiff;
}

export class KbEditor {
  constructor(private readonly deps: KbEditorDeps) {}

  /** The eval diff of a change without publishing it. */
  async preview(edit: (entries: KbEntry[]) => KbEntry[]): Promise<EvalDiff> {
    const current = await this.deps.store.current();
    return this.measure(current, edit(current ? structuredClone(current.entries) : []));
  }

  async apply(edit: (entries: KbEntry[]) => KbEntry[], change: KbChange, confirm = false): Promise<KbPublished> {
    const current = await this.deps.store.current();
    const next = edit(current ? structuredClone(current.entries) : []);
    const diff = this.measure(current, next);
    if (diff.regression && !confirm) throw new KbRegressionError(diff);
    const version = await this.deps.store.change(() => next, change, current?.version ?? 0);
    await this.deps.refresh();
    await this.deps.announce();
    return { version, diff };
  }

  private measure(current: KbVersion | undefined, next: KbEntry[]): EvalDiff {
    const after = this.deps.nlu.withEntries(checked(next));
    const before = current && this.deps.served() !== current.version ? this.deps.nlu.withEntries(current.entries) : this.deps.nlu;
    return diffEval(before, after, this.deps.cases());
  }
}
