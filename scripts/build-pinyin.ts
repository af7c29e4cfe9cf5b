// Writes intents/pinyin.generated.json from pinyin-pro: the syllable of every character of U+4E00–U+9FFF and
// the syllables of every place name the NLU reads in pinyin. The running gateway reads these tables instead
// of loading pinyin-pro (src/nlu/pinyin-reading.ts); tests/nlu/pinyin-tables.test.ts fails when the file no
// longer matches pinyin-pro or the place data, and this script is run again.
// Run: node bin/run-ts.mjs scripts/build-pinyin.ts
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pinyinTables } from '../src/nlu/pinyin-tables.js';
import { intentsPath } from '../src/nlu/resources.js';
import { PINYIN_FILE } from '../src/nlu/pinyin-reading.js';

const { version } = createRequire(import.meta.url)('pinyin-pro/package.json') as { version: string };
const file = pinyinTables(`pinyin-pro ${version}`);
writeFileSync(intentsPath(PINYIN_FILE), `${JSON.stringify(file, null, 1)}\n`);
console.log(`${PINYIN_FILE}: ${file.block.split(' ').length} characters, ${Object.keys(file.names).length} names`);
