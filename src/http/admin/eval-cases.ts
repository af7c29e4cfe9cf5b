// The eval cases a knowledge-base change is measured on: KB_EVAL_CASES, else the shared dev cases beside the
// repository (../shared/data/cases.dev.jsonl) when they are there, else none (changes are then published
// without a measurement). Read once, on the first change.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INTENTS_DIR } from '../../nlu/resources.js';
import { readCases, type EvalCase } from '../../nlu/eval.js';

export const SHARED_DEV_CASES = join(INTENTS_DIR, '..', '..', 'shared', 'data', 'cases.dev.jsonl');

export function evalCasesFrom(path: string | undefined): () => EvalCase[] {
  let cases: EvalCase[] | undefined;
  return () => (cases ??= path ? readCases(path) : existsSync(SHARED_DEV_CASES) ? readCases(SHARED_DEV_CASES) : []);
}
