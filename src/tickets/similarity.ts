// How alike two complaints are, for linking duplicate reports. Chinese has no spaces, so words are
// approximated by overlapping character pairs (bigrams); Jaccard over those sets (plus single characters) is robust to word order and
// to the filler around the core ("门口那棵大树倒了" vs "大树倒在门口了"). Place names are removed first: the
// tickets compared are already at the same street, so sharing its name says nothing.

const NON_TEXT = /[^\p{Script=Han}\p{L}\p{N}]+/gu;
/** Pronouns and particles: every complaint has them, so pairs made with them only add noise. */
const FILLER = /[我你他她它们咱这那的了吗呢吧啊呀都也很太就还]/u;

export function grams(text: string, drop: (string | null | undefined)[] = []): Set<string> {
  let t = text.toLowerCase();
  for (const d of drop) if (d) t = t.split(d.toLowerCase()).join(' ');
  const out = new Set<string>();
  for (const run of t.split(NON_TEXT)) {
    const chars = [...run];
    // Single characters too: short complaints share few pairs ("树倒了" vs "树被刮倒了" share 树 and 倒).
    for (const c of chars) if (!FILLER.test(c)) out.add(c);
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = chars[i] + chars[i + 1];
      if (!FILLER.test(pair)) out.add(pair);
    }
  }
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Named spots inside a street: a compound, a road, a bridge, a park (假日风景小区, 丰台北路, 万泉寺桥).
 * Two reports naming the same one are about the same place even when worded differently. Without word
 * boundaries the name's start is unknown, so a spot is taken as its kind plus the characters just before it,
 * four characters in all (风景小区, 台北路 + 丰 → 丰台北路); pronouns and fillers never count as a name
 * ("我们小区" is every compound).
 */
const SPOT_KINDS = ['小区', '社区', '家园', '花园', '公寓', '大厦', '广场', '市场', '公园', '胡同', '大街', '医院', '小学', '中学', '学校', '路', '街', '桥', '站'];
const NOT_A_NAME = /[我你他她它们咱这那个的了在家附近旁边和对面楼下门口里号跑走]/u;
const SPOT_LENGTH = 4;

const SPOT_KIND_RE = new RegExp(SPOT_KINDS.join('|'), 'g');
const HAN_ONLY = /^\p{Script=Han}+$/u;

export function spots(text: string, drop: (string | null | undefined)[] = []): Set<string> {
  return names(text, drop, SPOT_KIND_RE, (kind) => SPOT_LENGTH - kind.length);
}

/**
 * Named organisations behind complaints at many places: a property company (万科物业), a building site or its
 * project office (中建工地, 三局项目部). Taken like spots — the kind plus the two characters before it — so
 * "首开物业" in one estate's complaint and in another's is the same company.
 */
const ORG_KIND_RE = /物业|工地|项目部/g;
const ORG_PREFIX = 2;

export function organisations(text: string, drop: (string | null | undefined)[] = []): Set<string> {
  // "小区物业" is every compound's property company, not a name.
  return new Set([...names(text, drop, ORG_KIND_RE, () => ORG_PREFIX)].filter((n) => !SPOT_KINDS.some((k) => n.slice(0, ORG_PREFIX).endsWith(k))));
}

function names(text: string, drop: (string | null | undefined)[], kinds: RegExp, prefixLength: (kind: string) => number): Set<string> {
  let t = text;
  for (const d of drop) if (d) t = t.split(d).join(' ');
  const out = new Set<string>();
  // Han characters are single UTF-16 units, so string offsets are character offsets here.
  for (const m of t.matchAll(kinds)) {
    const before = prefixLength(m[0]);
    if (m.index < before) continue;
    const name = t.slice(m.index - before, m.index);
    if (HAN_ONLY.test(name) && !NOT_A_NAME.test(name)) out.add(name + m[0]);
  }
  return out;
}

export interface Sameness {
  same: boolean;
  score: number;
  /** The named spot both texts mention, when that is what made them the same. */
  spot?: string;
}

export interface SamenessBars {
  /** Texts this similar are about the same problem. */
  minSimilarity: number;
  /** The lower bar when both name the same spot (假日风景小区): the place is settled, the problem must match. */
  minSimilarityAtSpot: number;
}

/**
 * Same problem: similar enough texts, where a named spot both mention counts as the same place and lowers
 * the bar — but is left out of the comparison, so "丰台北路路灯坏了" and "丰台北路井盖丢了" (same road, two
 * problems) still differ.
 */
export function sameProblem(a: string, b: string, drop: (string | null | undefined)[], bars: SamenessBars, memo: TextFeatures = UNCACHED): Sameness {
  const sa = memo.spots(a, drop);
  const shared = [...memo.spots(b, drop)].filter((s) => sa.has(s));
  const without = [...drop, ...shared];
  const score = jaccard(memo.grams(a, without), memo.grams(b, without));
  const bar = shared.length ? bars.minSimilarityAtSpot : bars.minSimilarity;
  return { same: score >= bar, score, ...(shared.length ? { spot: shared[0] } : {}) };
}

/** Where sameProblem gets a text's grams and spots: computed each time, or remembered (TextFeatureCache). */
export interface TextFeatures {
  grams(text: string, drop: (string | null | undefined)[]): Set<string>;
  spots(text: string, drop: (string | null | undefined)[]): Set<string>;
}

const UNCACHED: TextFeatures = { grams, spots };

/**
 * Remembers grams and spots for one batch of comparisons: a new complaint is compared with up to 50 open
 * tickets at its street, and each of those with every new complaint of the batch, so the same texts come
 * back again and again. Short-lived by design (one per batch), so it never grows.
 */
export class TextFeatureCache implements TextFeatures {
  private readonly g = new Map<string, Map<string, Set<string>>>();
  private readonly s = new Map<string, Map<string, Set<string>>>();

  grams(text: string, drop: (string | null | undefined)[]): Set<string> {
    return remember(this.g, text, drop, grams);
  }

  spots(text: string, drop: (string | null | undefined)[]): Set<string> {
    return remember(this.s, text, drop, spots);
  }
}

/**
 * Keyed by the text itself, then by what is dropped from it: the texts are the same string objects every time
 * (a ticket's, a complaint's), and V8 keeps a string's hash on it, so the lookup never re-reads a long text.
 * One key joining text and drops was a new long string, hashed anew, on every one of the thousands of
 * lookups per batch (5% of a worker's CPU).
 */
function remember(
  m: Map<string, Map<string, Set<string>>>,
  text: string,
  drop: (string | null | undefined)[],
  f: (t: string, d: (string | null | undefined)[]) => Set<string>,
): Set<string> {
  let byDrop = m.get(text);
  if (!byDrop) m.set(text, (byDrop = new Map()));
  const key = drop.join('\u0001');
  let v = byDrop.get(key);
  if (!v) byDrop.set(key, (v = f(text, drop)));
  return v;
}
