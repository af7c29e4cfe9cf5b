// What a knowledge-base change does to the eval cases: the headline rates before and after, and every case
// that flipped between right and wrong. A change that makes any case wrong, answers more questions wrongly or
// more complaints with an FAQ, or lowers top-1 is a regression, published only when someone confirms it.
import type { Nlu } from './decision.js';
import { caseRight, describeDecision, evaluateCases, type EvalCase, type EvalReport } from './eval.js';

export interface EvalRates {
  faqTop1: number;
  faqWrong: number;
  falseAnswer: number;
  helped: number;
}

export interface FlippedCase {
  text: string;
  expected: string;
  before: string;
  after: string;
  /** 'fixed': wrong before, right after; 'broken': right before, wrong after. */
  change: 'fixed' | 'broken';
}

export interface EvalDiff {
  cases: number;
  before: EvalRates;
  after: EvalRates;
  flipped: FlippedCase[];
  regression: boolean;
}

const rates = (r: EvalReport): EvalRates => ({ faqTop1: r.faqTop1, faqWrong: r.faqWrong, falseAnswer: r.falseAnswer, helped: r.helped });

/** Tolerance for comparing rates computed from the same counts (floating point). */
const EPS = 1e-9;

export function diffEval(before: Pick<Nlu, 'decide'>, after: Pick<Nlu, 'decide'>, cases: EvalCase[], now = new Date()): EvalDiff {
  // Each case is decided once per side; the rates are then computed from those decisions.
  const b = new Map(cases.map((c) => [c.text, before.decide(c.text, { now })]));
  const a = new Map(cases.map((c) => [c.text, after.decide(c.text, { now })]));
  const flipped: FlippedCase[] = [];
  for (const c of cases) {
    const db = b.get(c.text)!;
    const da = a.get(c.text)!;
    const wasRight = caseRight(db, c);
    const isRight = caseRight(da, c);
    if (wasRight !== isRight) flipped.push({ text: c.text, expected: c.expect, before: describeDecision(db), after: describeDecision(da), change: isRight ? 'fixed' : 'broken' });
  }
  const rb = rates(evaluateCases({ decide: (t) => b.get(t)! }, cases, now));
  const ra = rates(evaluateCases({ decide: (t) => a.get(t)! }, cases, now));
  const regression =
    flipped.some((f) => f.change === 'broken') || ra.faqTop1 < rb.faqTop1 - EPS || ra.faqWrong > rb.faqWrong + EPS || ra.falseAnswer > rb.falseAnswer + EPS;
  // Broken cases first: they are what the person confirming must read.
  flipped.sort((x, y) => (x.change === y.change ? 0 : x.change === 'broken' ? -1 : 1));
  return { cases: cases.length, before: rb, after: ra, flipped, regression };
}
