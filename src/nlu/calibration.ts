// From retrieval scores to a 0..1 confidence that the best entry is what the citizen asked. Raw BM25 is
// not comparable across messages; what carries over is how much of the message the best entry explains
// (coverage) and how clearly it beats the runner-up (the second score as a share of the first).
// Set by hand on half of the dev cases and checked on the other half; see tests/nlu/eval.test.ts.
import type { SearchResult } from './matcher.js';

export const THRESHOLDS = {
  /** Answer at or above this confidence. */
  answer: 0.4,
  /** Between this and `answer`, ask which entry was meant. */
  clarify: 0.25,
  /** The same for a plain question (it asks, reports nothing, names no place): a choice beats a ticket. */
  clarifyPlainQuestion: 0.1,
};

const COVERAGE_MIDPOINT = 0.2;
const COVERAGE_SLOPE = 10;
const RATIO_MIDPOINT = 0.93;
const RATIO_SLOPE = 12;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Both must hold: the best entry explains enough of the message AND it clearly beats the runner-up. A product,
 * not a sum: with a sum, a winner that is "clear" only because every entry matches badly (a complaint that
 * shares one word with an FAQ) got a confident score from the ratio alone.
 */
export function faqConfidence(result: SearchResult): number {
  const [first, second] = result.ranked;
  if (!first) return 0;
  const ratio = second ? second.raw / first.raw : 0;
  return sigmoid(COVERAGE_SLOPE * (result.coverage - COVERAGE_MIDPOINT)) * sigmoid(RATIO_SLOPE * (RATIO_MIDPOINT - ratio));
}

/**
 * A message that asks nothing (no question form at all) and says something is wrong is a report, not an
 * inquiry. One that asks nothing and reports nothing ("社保卡丢了") is answered only when the best entry
 * explains most of it.
 */
export const STATEMENT_MIN_COVERAGE = 0.45;
