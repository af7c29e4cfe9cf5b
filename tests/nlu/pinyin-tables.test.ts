// intents/pinyin.generated.json is what pinyin-pro says (rerun scripts/build-pinyin.ts when this fails), and
// the NLU reads its pinyin from it: deciding messages, English place names included, and naming every district
// and street in pinyin do not load pinyin-pro. A character or name the tables lack is still read by it.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinyin } from 'pinyin-pro';
import { createNlu } from '../../src/nlu/index.js';
import { charSyllable, nameSyllables, NAME_OPTIONS, PINYIN_FILE, pinyinProLoaded, type PinyinFile } from '../../src/nlu/pinyin-reading.js';
import { pinyinTables } from '../../src/nlu/pinyin-tables.js';
import { namesReadInPinyin } from '../../src/nlu/places.js';
import { pinyinPlaceName, withoutPinyinName } from '../../src/nlu/pinyin-names.js';
import { readIntentsJson } from '../../src/nlu/resources.js';
import { REPO_ROOT } from '../helpers/processes.js';

describe('pinyin tables', () => {
  it('hold what pinyin-pro reads for the block and for every place name', () => {
    const { version } = createRequire(import.meta.url)('pinyin-pro/package.json') as { version: string };
    const file = readIntentsJson<PinyinFile>(PINYIN_FILE);
    expect(file).toEqual(pinyinTables(`pinyin-pro ${version}`));
    expect(Object.keys(file.names).sort()).toEqual(namesReadInPinyin());
  });

  it('are what the NLU reads: pinyin-pro stays unloaded through start, decisions and place names', async () => {
    const nlu = await createNlu({ timeZone: 'Asia/Shanghai' });
    expect(nlu.decide('The streetlight at Sanlitun Subdistrict has been off for a week').street).toBe('三里屯街道');
    expect(nlu.decide('我的社报卡丢了怎么办').lang).toBe('zh');
    const places = readIntentsJson<{ districts: { name: string }[]; streets: { name: string }[] }>('places.beijing.json');
    for (const { name } of [...places.districts, ...places.streets]) {
      expect(pinyinPlaceName(name)).toMatch(/^[A-Z][a-z]+/);
      withoutPinyinName('near sanlitun', name);
    }
    expect(pinyinPlaceName('三里屯街道')).toBe('Sanlitun Subdistrict');
    expect(pinyinProLoaded()).toBe(false);
  });

  it('leave characters and names they lack to pinyin-pro', () => {
    expect(charSyllable('㐀')).toBe(pinyin('㐀', { toneType: 'none', type: 'array' })[0]);
    expect(pinyinProLoaded()).toBe(true);
    expect(nameSyllables('重庆火锅')).toEqual(pinyin('重庆火锅', NAME_OPTIONS));
    expect(charSyllable('行')).toBe(pinyin('行', { toneType: 'none', type: 'array' })[0]);
  });

  it('are the only way the runtime reaches pinyin-pro', () => {
    const importers: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (/\.ts$/.test(e.name) && /from '(?:pinyin-pro|[./]+pinyin-tables\.js)'/.test(readFileSync(path, 'utf8'))) importers.push(path.slice(REPO_ROOT.length + 1));
      }
    };
    walk(join(REPO_ROOT, 'src'));
    walk(join(REPO_ROOT, 'channels'));
    expect(importers).toEqual(['src/nlu/pinyin-tables.ts']);
  });
});
