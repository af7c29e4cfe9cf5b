// The review loop on the NLU itself: attaching the questions the bot missed (what the console's review queue
// does) makes them answered, and a paraphrase of the same need that was never attached is answered more often
// and never more wrongly. The figures for the note: bench/knowledge-loop.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNlu, type Nlu } from '../../src/nlu/index.js';
import { loopBeforeAfter, type LoopCase } from '../../src/nlu/eval-loop.js';
import { diffEval } from '../../src/nlu/eval-diff.js';

const cases = readFileSync(fileURLToPath(new URL('./fixtures/review-loop.jsonl', import.meta.url)), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LoopCase);

let nlu: Nlu;
beforeAll(async () => {
  nlu = await createNlu({ timeZone: 'Asia/Shanghai' });
}, 60_000);

describe('review loop', () => {
  it('answers every attached question afterwards, and more of the held-aside paraphrases, none of them wrongly', () => {
    const r = loopBeforeAfter(nlu, cases);
    expect(r.missed).toBeGreaterThanOrEqual(10);
    expect(r.before.attached).toBe(0);
    expect(r.after.attached).toBe(r.missed);
    expect(r.after.heldAside).toBeGreaterThan(r.before.heldAside);
    expect(r.after.heldAsideWrong).toBeLessThanOrEqual(r.before.heldAsideWrong);
    // The live NLU is untouched: the loop measured on a copy.
    expect(nlu.entries().some((e) => e.questions.includes(cases[0].attach))).toBe(false);
  });

  it('calls deleting an entry the cases need a regression, and lists the cases it breaks', () => {
    const without = nlu.withEntries(nlu.entries().filter((e) => e.id !== 'water-bill'));
    const evalCases = [
      { text: '手机上可以交自来水的钱吗', expect: 'water-bill' },
      { text: '社保卡丢了怎么挂失', expect: 'social-card-loss' },
    ];
    const d = diffEval(nlu, without, evalCases);
    expect(d.regression).toBe(true);
    expect(d.flipped).toEqual([{ text: '手机上可以交自来水的钱吗', expected: 'water-bill', before: 'faq:water-bill', after: expect.any(String), change: 'broken' }]);
    expect(d.before.faqTop1).toBe(1);
    expect(d.after.faqTop1).toBe(0.5);
    const back = diffEval(without, nlu, evalCases);
    expect(back.regression).toBe(false);
    expect(back.flipped.map((f) => f.change)).toEqual(['fixed']);
  });
});
