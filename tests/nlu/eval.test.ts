// The dev-set evaluation as a regression floor: each figure must stay at or near what the matcher reached
// when this test was written (floors a little under the measured numbers; see the issue for the targets).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNlu, DEFAULT_KB_PATH, type Decision, type Nlu } from '../../src/nlu/index.js';
import { evaluateCases, formatReport, readCases, type EvalReport } from '../../src/nlu/eval.js';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const haveData = existsSync(`${DATA}cases.dev.jsonl`);

/**
 * Measured (faqTop1 / faqTop3 / faqWrong / falseAnswer / chitchat / category / tier / district / street):
 * shared KB 0.909 / 0.995 / 0.014 / 0.000 / 1.0 / 0.987 / 0.993 / 1.0 / 0.989 — after the calibration became
 * a product of coverage and margin (it was 0.941 top-1 with 0.027 wrong before, but deflected 9 of 40
 * complaints written apart from the dev set; see complaint-deflection.test.ts).
 */
const FLOORS_SHARED_KB = {
  faqTop1: 0.9, faqTop3: 0.98, chitchat: 0.96, category: 0.95, tier: 0.95, district: 0.98, street: 0.97,
};
const CEILINGS_SHARED_KB = { faqWrong: 0.035, falseAnswer: 0.01 };

describe.skipIf(!haveData)('dev-set evaluation', () => {
  let shared: EvalReport;
  let own: EvalReport;

  beforeAll(async () => {
    const cases = readCases(`${DATA}cases.dev.jsonl`);
    shared = evaluateCases(await createNlu({ kbPath: `${DATA}faq.zh.yaml`, timeZone: 'Asia/Shanghai' }), cases);
    own = evaluateCases(await createNlu({ kbPath: DEFAULT_KB_PATH, timeZone: 'Asia/Shanghai' }), cases);
  }, 120_000);

  it('meets the floors against the shared knowledge base', () => {
    for (const [key, floor] of Object.entries(FLOORS_SHARED_KB)) {
      expect(shared[key as keyof typeof FLOORS_SHARED_KB], `${key}\n${formatReport(shared, 10)}`).toBeGreaterThanOrEqual(floor);
    }
    for (const [key, ceiling] of Object.entries(CEILINGS_SHARED_KB)) {
      expect(shared[key as keyof typeof CEILINGS_SHARED_KB], `${key}\n${formatReport(shared, 10)}`).toBeLessThanOrEqual(ceiling);
    }
  });

  it('answers the same questions from the default knowledge base shipped in intents/', () => {
    expect(own.faqTop1).toBeGreaterThanOrEqual(0.91);
    expect(own.faqWrong).toBeLessThanOrEqual(0.04);
    expect(own.falseAnswer).toBeLessThanOrEqual(0.01);
  });
});

describe('helped and clarifyRate', () => {
  // A scripted Nlu: the scorer's arithmetic is what is tested here, not a matcher.
  const decisions: Record<string, Decision> = {
    right: { kind: 'faq', faqId: 'a', score: 0.9, candidates: [{ faqId: 'a', score: 9, question: 'q' }], lang: 'zh' },
    wrong: { kind: 'faq', faqId: 'b', score: 0.9, candidates: [{ faqId: 'b', score: 9, question: 'q' }], lang: 'zh' },
    clarifyHit: { kind: 'faq', clarify: true, score: 0.3, candidates: [{ faqId: 'b', score: 5, question: 'q' }, { faqId: 'a', score: 4, question: 'q' }], lang: 'zh' },
    clarifyMiss: { kind: 'faq', clarify: true, score: 0.3, candidates: [{ faqId: 'b', score: 5, question: 'q' }], lang: 'zh' },
    ticket: { kind: 'ticket', score: 0.9, candidates: [], lang: 'zh', category: 'other', tier: '7d' },
  };
  const scripted = { decide: (t: string) => decisions[t], size: 2, entry: () => undefined, reload: async () => {}, trainCategories: () => {} } as Pick<Nlu, 'decide'>;

  it('counts a clarify whose choices hold the right entry as helped, and reports how often a clarify was asked', () => {
    const r = evaluateCases(scripted, ['right', 'wrong', 'clarifyHit', 'clarifyMiss', 'ticket'].map((text) => ({ text, expect: 'a' })));
    expect(r.faqTop1).toBe(0.2);
    expect(r.helped).toBe(0.4);
    expect(r.clarifyRate).toBe(0.4);
  });
});
