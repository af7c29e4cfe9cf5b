// Developer run of the NLU evaluation, with an optional split of the cases into halves (odd/even lines)
// to check that a change generalizes: node bin/run-ts.mjs scripts/nlu-eval.ts --kb FILE --cases FILE [--half A|B] [--json]
import { parseArgs } from 'node:util';
import { createNlu } from '../src/nlu/index.js';
import { caseRight, describeDecision, evaluateCases, formatReport, readCases } from '../src/nlu/eval.js';

const { values } = parseArgs({
  options: {
    kb: { type: 'string' },
    cases: { type: 'string', default: '../shared/data/cases.dev.jsonl' },
    half: { type: 'string' },
    json: { type: 'boolean', default: false },
    mistakes: { type: 'string', default: '25' },
    'by-class': { type: 'boolean', default: false },
  },
});
const nlu = await createNlu({ kbPath: values.kb, timeZone: 'Asia/Shanghai' });
let cases = readCases(values.cases!);
if (values.half) cases = cases.filter((_, i) => (i % 2 === 0) === (values.half!.toUpperCase() === 'A'));
if (values['by-class']) {
  // Per class (the cases' `class` field): the share of cases that came out fully right, and the misses.
  const groups = new Map<string, typeof cases>();
  for (const c of cases) {
    const key = (c as { class?: string }).class ?? '-';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  let right = 0;
  for (const [name, group] of groups) {
    const misses = group.filter((c) => !caseRight(nlu.decide(c.text), c));
    right += group.length - misses.length;
    console.log(`${name.padEnd(12)} ${group.length - misses.length}/${group.length}`);
    for (const c of misses) console.log(`    ✗ ${c.text}\n      ${describeDecision(nlu.decide(c.text))}`);
  }
  console.log(`${'all'.padEnd(12)} ${right}/${cases.length}`);
  process.exit(0);
}
const report = evaluateCases(nlu, cases);
if (values.json) {
  const figures = Object.fromEntries(Object.entries(report).filter(([key]) => key !== 'mistakes' && key !== 'counts'));
  console.log(JSON.stringify(figures));
} else {
  console.log(formatReport(report, Number(values.mistakes)));
}
