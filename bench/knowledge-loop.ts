// The review loop's before/after, printed for the issue note (benchmarks print, tests never assert times; the
// figures here are counts, and tests/nlu/review-loop.test.ts holds the mechanism to them).
//
// 1. Questions the bot missed (tests/nlu/fixtures/review-loop.jsonl: each a question an operator attaches, and
//    a held-aside paraphrase of the same need that is never attached): top-1 before, then after the operator
//    attached the missed ones to their entries — for the attached questions and for the paraphrases.
// 2. Category corrections (tests/nlu/fixtures/category-corrections.jsonl): category right on the held-aside
//    part by the keyword rules alone, by the rules with the untrained model (what serves: the model decides
//    where the keywords do not), by the model alone, each before and after the correction part trained it.
//
//   node bin/run-ts.mjs bench/knowledge-loop.ts [--kb FILE]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createNlu } from '../src/nlu/index.js';
import { CategoryClassifier } from '../src/nlu/category.js';
import { normalizeForNlu } from '../src/nlu/normalize.js';
import { loopBeforeAfter, type LoopCase } from '../src/nlu/eval-loop.js';

const { values } = parseArgs({ options: { kb: { type: 'string' } } });
const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../tests/nlu/fixtures/${name}`, import.meta.url)), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

const nlu = await createNlu({ timeZone: 'Asia/Shanghai', ...(values.kb ? { kbPath: values.kb } : {}) });
const loop = loopBeforeAfter(nlu, fixture('review-loop.jsonl') as LoopCase[]);
const pct = (n: number, of: number) => `${n}/${of} (${of ? ((100 * n) / of).toFixed(0) : 0}%)`;
console.log(`Review loop on ${values.kb ?? 'intents/faq.zh.yaml'}: ${loop.cases} questions written, ${loop.missed} missed by the bot (top-1)`);
console.log(`  attached questions  answered right: before ${pct(loop.before.attached, loop.missed)}  after ${pct(loop.after.attached, loop.missed)}`);
console.log(`  held-aside paraphrases (never attached) answered right: before ${pct(loop.before.heldAside, loop.missed)}  after ${pct(loop.after.heldAside, loop.missed)}`);
console.log(`  held-aside paraphrases answered wrong: before ${loop.before.heldAsideWrong}  after ${loop.after.heldAsideWrong}`);

const corrections = fixture('category-corrections.jsonl') as { part: 'correction' | 'heldAside'; text: string; category: string }[];
const train = corrections.filter((c) => c.part === 'correction');
const held = corrections.filter((c) => c.part === 'heldAside');
const rules = new CategoryClassifier('rules');
const combined = new CategoryClassifier('combined');
const model = new CategoryClassifier('model');
const right = (classify: (t: string) => string, cases: typeof held) => cases.filter((c) => classify(normalizeForNlu(c.text)) === c.category).length;
const rulesRight = right((t) => rules.classify(t), held);
const untrained = right((t) => combined.classify(t), held);
const untrainedOnTrain = right((t) => combined.classify(t), train);
const modelUntrained = right((t) => model.classify(t), held);
const examples = train.map((c) => ({ text: normalizeForNlu(c.text), category: c.category }));
combined.train(examples);
model.train(examples);
const trained = right((t) => combined.classify(t), held);
const modelTrained = right((t) => model.classify(t), held);
console.log(`Category corrections: ${train.length} corrections trained, ${held.length} held-aside complaints never trained on`);
console.log(`  held-aside right: keyword rules ${pct(rulesRight, held.length)}  rules + untrained model ${pct(untrained, held.length)}  rules + model trained with the corrections ${pct(trained, held.length)}`);
console.log(`  held-aside right by the model alone: untrained ${pct(modelUntrained, held.length)}  trained with the corrections ${pct(modelTrained, held.length)}`);
console.log(`  the corrected complaints themselves, before training: ${pct(untrainedOnTrain, train.length)}; after: ${pct(right((t) => combined.classify(t), train), train.length)}`);
