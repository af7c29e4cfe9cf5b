// The worst error is a complaint answered with an FAQ. These cases were written apart from the dev set, in
// the way people type complaints (statements of a problem, no question form, sharing a word or two with
// some FAQ), to catch a matcher that only learnt the dev set's phrasing.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNlu } from '../../src/nlu/index.js';
import type { Nlu } from '../../src/nlu/decision.js';

const cases = readFileSync(new URL('./fixtures/written-apart.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { text: string; expect: string });

describe('complaints written apart from the dev set', () => {
  let nlu: Nlu;
  beforeAll(async () => {
    nlu = await createNlu({ timeZone: 'Asia/Shanghai' });
  }, 60_000);

  it('never answers one of them with an FAQ (not even a "which did you mean")', () => {
    const deflected = cases
      .filter((c) => c.expect === 'ticket')
      .map((c) => ({ text: c.text, d: nlu.decide(c.text) }))
      .filter(({ d }) => d.kind === 'faq')
      .map(({ text, d }) => `${text} → ${d.faqId ?? 'clarify'} (${d.score})`);
    expect(deflected).toEqual([]);
  });

  it('still answers the questions among them', () => {
    const unanswered = cases
      .filter((c) => c.expect !== 'ticket')
      .filter((c) => {
        const d = nlu.decide(c.text);
        return d.kind !== 'faq' || d.clarify || (c.expect !== 'any-faq' && !d.faqId?.startsWith(c.expect.split('-')[0]));
      })
      .map((c) => c.text);
    expect(unanswered).toEqual([]);
  });
});
