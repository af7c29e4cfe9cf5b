// District and street/town named in a message, from Beijing's official divisions (intents/places.beijing.json)
// and a few unambiguous landmarks (intents/landmarks.yaml).
//
// How a name is recognized, strongest first:
//   - a full official name (潘家园街道, 朝阳区) or the base with another township suffix (永定镇 for 永定地区);
//   - a landmark (南锣鼓巷 → 交道口街道), or a residential estate or village from the official list of
//     community and village committees (intents/estates.beijing.json: 芍药居 → 太阳宫地区, 天通苑 → 昌平区
//     only, since it spans several streets);
//   - a bare base name (潘家园, 常营), unless it is also an everyday word (光明, 天桥), a district's short
//     name (丰台 alone is the district, not 丰台街道), or the start of a road, bridge or gate (中关村大街,
//     劲松桥, 朝阳门 is not 朝阳区).
// In English the same names are written in pinyin (pinyin-names.ts), with the same strengths: "Panjiayuan
// Subdistrict" is a full name, "Nanluoguxiang" a landmark, a bare "Panjiayuan" a bare base — except that a
// bare base must also not be an English word or so short that one could be (boxing is 博兴, dayu is 大峪).
// A bare street implies its district. A base shared by streets in two districts (八里庄) needs the district.
import { z } from 'zod';
import { readIntentsJson, readIntentsYaml } from './resources.js';
import { PinyinNames, pinyinKey, splitSuffix } from './pinyin-names.js';

export interface PlaceMention { district?: string; street?: string }

interface Street { name: string; district: string }

type Strength = 3 | 2 | 1; // full name, landmark, bare base

/** A street's or landmark's pinyin, and how strong a bare mention of it is. */
interface EnglishName {
  streets: Street[];
  /** Strength when named with nothing after it: a landmark 2, a bare base 1, 0 when it may be a word. */
  bare: 0 | 1 | 2;
}

/** Bare bases whose pinyin is an English word; shorter ones than MIN_BARE_PINYIN are not trusted either. */
const ENGLISH_WORDS = new Set(['boxing']);
const MIN_BARE_PINYIN = 5;

interface Alias {
  text: string;
  strength: Strength;
  streets: Street[];
  district?: string;
  /** Kept out of the segmenter's user dictionary: thousands of estate names would change how jieba cuts text. */
  notAWord?: boolean;
}

interface AliasNode {
  /**
   * The children: a Map where a node has many (the root: every first character), else their characters as one
   * string and the nodes in that order. Most of the ten thousand inner nodes have one or two children, and a
   * Map apiece held about 2 MB.
   */
  next?: Map<string, AliasNode> | { chars: string; nodes: AliasNode[] };
  alias?: Alias;
}

/** Children at or under this many are kept as a string of characters and an array. */
const FEW_CHILDREN = 8;

function childOf(node: AliasNode, ch: string): AliasNode | undefined {
  const next = node.next;
  if (!next) return undefined;
  if (next instanceof Map) return next.get(ch);
  const i = next.chars.indexOf(ch);
  return i < 0 ? undefined : next.nodes[i];
}

/** The trie as built (a Map per inner node) with every small Map replaced by its characters and nodes. */
function compact(node: AliasNode): void {
  if (!(node.next instanceof Map)) return;
  for (const child of node.next.values()) compact(child);
  if (node.next.size <= FEW_CHILDREN) node.next = { chars: [...node.next.keys()].join(''), nodes: [...node.next.values()] };
}

const PlacesFile = z.object({
  districts: z.array(z.object({ name: z.string(), en: z.string() })),
  streets: z.array(z.object({ name: z.string(), district: z.string() })),
});
const EstatesFile = z.object({
  estates: z.array(z.object({ name: z.string(), district: z.string(), street: z.string().optional() })),
});
const LandmarksFile = z.object({
  landmarks: z.array(z.object({ name: z.string(), street: z.string(), district: z.string() })),
});

const TOWNSHIP_SUFFIX = /(满族乡|回族乡|街道|地区|镇|乡)$/;
const SUFFIX_VARIANTS = ['街道', '地区', '镇', '乡'];

/** Street bases that are everyday words or names of other things: they count only with a suffix. */
const COMMON_BASES = new Set([
  '光明', '胜利', '新华', '向阳', '东风', '城关', '城北', '城南', '新村', '古城', '果园', '滨河', '四海', '安定',
  '天桥', '温泉', '荣华', '平房', '空港', '天竺', '清水', '河北', '宝山', '龙泉', '东升', '上庄', '城子', '北房',
  '永宁', '石城', '北庄', '康庄', '中仓', '新镇', '曙光', '东湖', '龙潭', '永定', '鼓楼', '八角', '北苑', '大台',
  '长沟', '石楼', '高岭', '礼贤', '采育', '兴寿', '旧县', '香营', '海淀', '和义', '老山', '广宁', '迎风', '星城',
  '文景', '通运', '双丰', '旺泉', '仁和', '百善', '南口', '沙河', '延寿', '安定', '清源', '博兴', '北务', '木林',
  '崔村', '南邵', '流村', '东小口', '阳坊', '高丽营', '李桥', '李遂', '南彩', '张镇', '四季青', '杨庄', '新城子',
]);

/** What may follow a base name when the words mean a road, bridge, river or gate, not the street office. */
const ROAD_AFTER = /^[东西南北中]?(?:路|大街|街(?!道)|桥|河|门|胡同|巷|大道|高速|环|线|机场)/;

function baseOf(streetName: string): string {
  const base = streetName.replace(TOWNSHIP_SUFFIX, '');
  return base.length >= 2 ? base : streetName;
}

/**
 * Every name whose pinyin is asked for: the English names of streets and landmarks (PinyinNames) and the bases
 * of districts and streets as replies name them (pinyinPlaceName, withoutPinyinName). scripts/build-pinyin.ts
 * reads these ahead into intents/pinyin.generated.json.
 */
export function namesReadInPinyin(): string[] {
  const places = PlacesFile.parse(readIntentsJson('places.beijing.json'));
  const landmarks = LandmarksFile.parse(readIntentsYaml('landmarks.yaml'));
  const names = new Set<string>();
  for (const { name } of [...places.districts, ...places.streets]) names.add(splitSuffix(name).base);
  for (const s of places.streets) names.add(baseOf(s.name));
  for (const l of landmarks.landmarks) names.add(l.name);
  return [...names].sort();
}

export class PlaceFinder {
  private readonly aliasesByFirstChar = new Map<string, Alias[]>();
  private readonly englishDistricts: { pattern: RegExp; name: string }[] = [];
  private readonly englishNames: PinyinNames<EnglishName>;
  private readonly root: AliasNode;

  constructor() {
    const places = PlacesFile.parse(readIntentsJson('places.beijing.json'));
    const landmarks = LandmarksFile.parse(readIntentsYaml('landmarks.yaml'));
    const districtShorts = new Set(places.districts.map((d) => d.name.replace(/区$/, '')));
    /** A base that is also an everyday word, a district's short name or a road's: never a bare street. */
    const isWord = (base: string) => COMMON_BASES.has(base) || districtShorts.has(base) || /[路街]$/.test(base);
    const byBase = new Map<string, Street[]>();

    for (const d of places.districts) {
      this.add({ text: d.name, strength: 3, streets: [], district: d.name });
      this.add({ text: d.name.replace(/区$/, ''), strength: 1, streets: [], district: d.name });
      this.englishDistricts.push({ pattern: new RegExp(`\\b${d.en.toLowerCase()}(?:\\s+district)?\\b`), name: d.name });
    }
    for (const s of places.streets) {
      const base = baseOf(s.name);
      byBase.set(base, [...(byBase.get(base) ?? []), s]);
    }
    for (const [base, streets] of byBase) {
      const fullNames = new Set(streets.map((s) => s.name));
      for (const suffix of SUFFIX_VARIANTS) fullNames.add(base + suffix);
      for (const full of fullNames) if (full !== base) this.add({ text: full, strength: 3, streets });
      if (!isWord(base) && base.length >= 2 && !fullNames.has(base)) this.add({ text: base, strength: 1, streets });
    }
    const streetByName = new Map(places.streets.map((s) => [`${s.district}/${s.name}`, s]));
    const english: [string, EnglishName][] = [];
    for (const l of landmarks.landmarks) {
      const street = streetByName.get(`${l.district}/${l.street}`);
      if (!street) throw new Error(`landmarks.yaml: ${l.name}: no street ${l.street} in ${l.district}`);
      this.add({ text: l.name, strength: 2, streets: [street] });
      english.push([l.name, { streets: [street], bare: 2 }]);
    }
    const taken = new Set([...this.aliasesByFirstChar.values()].flat().map((a) => a.text));
    for (const e of EstatesFile.parse(readIntentsJson('estates.beijing.json')).estates) {
      if (taken.has(e.name)) continue;
      const street = e.street ? streetByName.get(`${e.district}/${e.street}`) : undefined;
      if (e.street && !street) throw new Error(`estates.beijing.json: ${e.name}: no street ${e.street} in ${e.district}`);
      this.add(street ? { text: e.name, strength: 2, streets: [street], notAWord: true }
        : { text: e.name, strength: 2, streets: [], district: e.district, notAWord: true });
    }
    for (const [base, streets] of byBase) {
      english.push([base, { streets, bare: isWord(base) ? 0 : 1 }]);
    }
    // A bare base too short or too English to trust counts only with "Subdistrict" etc. Names that read the
    // same in pinyin (homophones in different places) name all their streets, so only a district decides, and
    // a bare mention is as weak as the weakest of them.
    this.englishNames = new PinyinNames(
      english.map(([name, v]) => [name, v.bare === 1 && !trustedBare(name) ? { ...v, bare: 0 } : v] as [string, EnglishName]),
      (a, b) => ({ streets: [...a.streets, ...b.streets.filter((s) => !a.streets.includes(s))], bare: Math.min(a.bare, b.bare) as EnglishName['bare'] }),
    );
    for (const list of this.aliasesByFirstChar.values()) list.sort((a, b) => b.text.length - a.text.length);
    this.root = this.buildTrie();
  }

  private add(alias: Alias): void {
    const key = alias.text[0];
    const list = this.aliasesByFirstChar.get(key) ?? [];
    list.push(alias);
    this.aliasesByFirstChar.set(key, list);
  }

  /** Every name the user dictionary should keep whole when segmenting. */
  names(): string[] {
    return [...this.aliasesByFirstChar.values()].flat().filter((a) => !a.notAWord).map((a) => a.text);
  }

  /**
   * The aliases as a trie over their characters: the node of a text holds the alias that the longest-first
   * lists would try first for it. With thousands of estates a first character can start hundreds of names;
   * walking the trie along the text costs only as many steps as the longest name that fits.
   */
  private buildTrie(): AliasNode {
    const root: AliasNode = {};
    for (const list of this.aliasesByFirstChar.values()) {
      for (const alias of list) {
        let node = root;
        for (let k = 0; k < alias.text.length; k++) {
          const ch = alias.text[k];
          const next = (node.next ??= new Map()) as Map<string, AliasNode>;
          let child = next.get(ch);
          if (!child) next.set(ch, (child = {}));
          node = child;
        }
        node.alias ??= alias;
      }
    }
    compact(root);
    return root;
  }

  /** The longest alias starting at i (the first listed among aliases of one text), as the lists gave it. */
  private longestAt(text: string, i: number): Alias | undefined {
    let node: AliasNode | undefined = this.root;
    let hit: Alias | undefined;
    for (let k = i; k < text.length; k++) {
      node = childOf(node, text[k]);
      if (!node) break;
      if (node.alias) hit = node.alias;
    }
    return hit;
  }

  /** Leftmost-longest scan; returns the aliases found, in order. */
  private scan(text: string): Alias[] {
    const found: Alias[] = [];
    for (let i = 0; i < text.length; ) {
      const hit = this.longestAt(text, i);
      if (!hit) { i++; continue; }
      const after = text.slice(i + hit.text.length, i + hit.text.length + 3);
      if (hit.strength === 1 && ROAD_AFTER.test(after)) { i += hit.text.length; continue; }
      found.push(hit);
      i += hit.text.length;
    }
    return found;
  }

  find(text: string): PlaceMention {
    const aliases = this.scan(text);
    const districts = aliases.filter((a) => a.district).map((a) => a.district as string);
    for (const { pattern, name } of this.englishDistricts) if (pattern.test(text)) districts.push(name);
    for (const hit of this.englishNames.scan(text)) {
      if (hit.context === 'road') continue;
      const strength = hit.context === 'office' ? 3 : hit.value.bare;
      if (strength) aliases.push({ text: '', strength, streets: hit.value.streets });
    }
    const named = new Set(districts);

    let best: { street: Street; strength: number } | undefined;
    for (const alias of aliases) {
      if (!alias.streets.length) continue;
      const fitting = named.size ? alias.streets.filter((s) => named.has(s.district)) : alias.streets;
      // Two streets share this name and no district says which: do not guess.
      if (fitting.length !== 1) continue;
      if (!best || alias.strength > best.strength) best = { street: fitting[0], strength: alias.strength };
    }
    if (best) return { district: best.street.district, street: best.street.name };
    return districts.length ? { district: districts[0] } : {};
  }
}

function trustedBare(chinese: string): boolean {
  const key = pinyinKey(chinese);
  return key.length >= MIN_BARE_PINYIN && !ENGLISH_WORDS.has(key);
}
