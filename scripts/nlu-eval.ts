// Developer run of the NLU evaluation, with an optional split of the cases into halves (odd/even lines)
// to check that a change generalizes: node bin/run-ts.mjs scripts/nlu-eval.ts --kb FILE --cases FILE [--half A|B] [--json]
import { parseArgs } from 'node:util';
import { createNlu } from '../src/nlu/index.js';
import { evaluateCases, formatReport, readCases } from '../src/nlu/eval.js';

const { values } = parseArgs({
  options: {
    kb: { type: 'string' },
    cases: { type: 'string', default: '../shared/data/cases.dev.jsonl' },
    half: { type: 'string' },
    json: { type: 'boolean', default: false },
    mistakes: { type: 'string', default: '25' },
  },
});
const nlu = await createNlu({ kbPath: values.kb });
let cases = readCases(values.cases!);
if (values.half) cases = cases.filter((_, i) => (i % 2 === 0) === (values.half!.toUpperCase() === 'A'));
const report = evaluateCases(nlu, cases);
if (values.json) {
  const figures = Object.fromEntries(Object.entries(report).filter(([key]) => key !== 'mistakes' && key !== 'counts'));
  console.log(JSON.stringify(figures));
} else {
  console.log(formatReport(report, Number(values.mistakes)));
}
