// Category accuracy of the keyword rules, the trained model and their combination, on ticket cases:
// node bin/run-ts.mjs scripts/compare-category.ts FILE...
import { CategoryClassifier, type CategoryMethod } from '../src/nlu/category.js';
import { readCases } from '../src/nlu/eval.js';
import { normalizeForNlu } from '../src/nlu/normalize.js';
import { Synonyms } from '../src/nlu/synonyms.js';
import { PlaceFinder } from '../src/nlu/places.js';
import { addUserWords } from '../src/nlu/segmenter.js';

addUserWords([...new Synonyms().words, ...new PlaceFinder().names()]);
for (const file of process.argv.slice(2)) {
  const cases = readCases(file).filter((c) => c.expect === 'ticket');
  const row = [file.split('/').pop(), `${cases.length} tickets`];
  for (const method of ['rules', 'model', 'combined'] as CategoryMethod[]) {
    const c = new CategoryClassifier(method);
    const right = cases.filter((x) => c.classify(normalizeForNlu(x.text)) === x.category).length;
    row.push(`${method} ${(right / cases.length).toFixed(3)}`);
  }
  console.log(row.join('  '));
}
