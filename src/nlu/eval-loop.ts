// Measures the review loop: questions the bot missed are attached to their entries as paraphrases (what the
// console's review queue does), and top-1 is counted before and after, for the attached questions and for
// paraphrases of the same needs that were never attached (held aside), which say whether attaching helps
// the next citizen who asks in other words.
import type { Decision, Nlu } from './decision.js';
import type { KbEntry } from './kb.js';

export interface LoopCase {
  expect: string;
  /** The question the bot missed, attached to `expect` by the operator. */
  attach: string;
  /** Another wording of the same need, never attached. */
  heldAside: string;
}

export interface LoopCounts {
  attached: number;
  heldAside: number;
  heldAsideWrong: number;
}

export interface LoopResult {
  cases: number;
  missed: number;
  before: LoopCounts;
  after: LoopCounts;
  /** The knowledge base after attaching. */
  entries: KbEntry[];
}

const right = (d: Decision, id: string) => d.kind === 'faq' && !d.clarify && d.faqId === id;
const wrong = (d: Decision, id: string) => d.kind === 'faq' && !d.clarify && d.faqId !== id;

export function loopBeforeAfter(nlu: Pick<Nlu, 'decide' | 'entries' | 'withEntries'>, cases: LoopCase[]): LoopResult {
  const missed = cases.filter((c) => !right(nlu.decide(c.attach), c.expect));
  const count = (n: Pick<Nlu, 'decide'>): LoopCounts => ({
    attached: missed.filter((c) => right(n.decide(c.attach), c.expect)).length,
    heldAside: missed.filter((c) => right(n.decide(c.heldAside), c.expect)).length,
    heldAsideWrong: missed.filter((c) => wrong(n.decide(c.heldAside), c.expect)).length,
  });
  const before = count(nlu);
  const entries = structuredClone([...nlu.entries()]);
  for (const c of missed) {
    const e = entries.find((x) => x.id === c.expect);
    if (!e) throw new Error(`review-loop case for unknown entry ${c.expect}`);
    e.questions.push(c.attach);
  }
  return { cases: cases.length, missed: missed.length, before, after: count(nlu.withEntries(entries)), entries };
}
