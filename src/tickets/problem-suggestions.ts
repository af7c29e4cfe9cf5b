// Candidate problems (举一反三): complaints that keep coming back, found in the last weeks' tickets.
//
//  - place: one place and category, recurring in at least `minWeeks` of the last `weeks` weeks. The place is a
//    street (tickets.street) or a named spot in the texts at that street (假日风景小区: `spots` in similarity.ts). A
//    street hears about many things, so the tickets must also be about one problem: they are clustered by the
//    duplicate detector's text sameness (a shared spot lowers the bar), and each cluster is judged on its own;
//    a street-wide cluster must also stand out from the background (twice the category's tickets per street).
//  - across: one cause behind similar complaints at several streets — a property company's estates, one
//    building site's night work. Similar complaints at many places with no named cause in common (路灯不亮
//    everywhere) are the city's background, not one problem someone can own, so the tickets must name the
//    same organisation (`organisations` in similarity.ts) as well as read alike.
//
// Pure: the tickets in, the suggestions out; src/tickets/problem-store.ts loads and stores them.
import { organisations, sameProblem, spots, TextFeatureCache, type SamenessBars } from './similarity.js';

export interface SuggestionTicket {
  id: number;
  text: string;
  category: string;
  district: string | null;
  street: string | null;
  unit: string | null;
  createdAt: Date;
}

export interface SuggestOptions {
  asOf: Date;
  /** How many weeks back (default 8). */
  weeks?: number;
  /** Weeks with at least one ticket (default 3). */
  minWeeks?: number;
  /** Tickets in all (default 4). */
  minTickets?: number;
  bars: SamenessBars;
  /** The category's name for titles (物业管理). */
  label(category: string): string;
}

export interface Suggestion {
  /** Names the place or cause and the cluster's first ticket: stable while that ticket is in the window. */
  key: string;
  kind: 'place' | 'across';
  title: string;
  category: string;
  street: string | null;
  /** The named spot (place) or, for `across`, the organisation (首开物业). */
  spot: string | null;
  ticketIds: number[];
  /** Tickets per week, oldest first. */
  weekly: number[];
  /** The units the tickets were dispatched to, most tickets first. */
  units: string[];
  score: number;
}

const WEEK_MS = 7 * 86_400_000;

export const SUGGEST_DEFAULTS = { weeks: 8, minWeeks: 3, minTickets: 4 } as const;

export function suggestProblems(tickets: SuggestionTicket[], opts: SuggestOptions): Suggestion[] {
  const weeks = opts.weeks ?? SUGGEST_DEFAULTS.weeks;
  const minWeeks = opts.minWeeks ?? SUGGEST_DEFAULTS.minWeeks;
  const minTickets = opts.minTickets ?? SUGGEST_DEFAULTS.minTickets;
  const asOf = opts.asOf.getTime();
  const weekOf = (t: SuggestionTicket) => weeks - 1 - Math.floor((asOf - t.createdAt.getTime()) / WEEK_MS);
  const inWindow = [...tickets].filter((t) => t.createdAt.getTime() <= asOf && weekOf(t) >= 0).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const features = new TextFeatureCache();
  // Two tickets that each name a spot, but no spot in common, are at two places (阳光小区 and 幸福家园 in one
  // street), however alike the words: 垃圾桶满了 at ten estates is ten small problems, not one.
  const samePlace = (a: SuggestionTicket, b: SuggestionTicket) => {
    const sa = features.spots(a.text, dropOf(a));
    const sb = features.spots(b.text, dropOf(b));
    return !sa.size || !sb.size || [...sa].some((x) => sb.has(x));
  };
  const dropOf = (t: SuggestionTicket) => [t.district, t.street];

  // Groups: (category, place) for `place`, (category, organisation) for `across`.
  const groups = new Map<string, { kind: Suggestion['kind']; category: string; street: string | null; spot: string | null; org?: string; members: SuggestionTicket[] }>();
  const add = (key: string, g: Omit<NonNullable<ReturnType<typeof groups.get>>, 'members'>, t: SuggestionTicket) => {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ...g, members: [] }));
    group.members.push(t);
  };
  for (const t of inWindow) {
    const drop = dropOf(t);
    if (t.street) add(`place|${t.category}|street|${t.street}`, { kind: 'place', category: t.category, street: t.street, spot: null }, t);
    // A spot within its street: the same estate name in other districts (阳光小区) is another estate, and a
    // word that only looks like a spot (跑路) is then never pooled from across the city.
    if (t.street) for (const s of features.spots(t.text, drop)) add(`place|${t.category}|spot|${t.street}|${s}`, { kind: 'place', category: t.category, street: t.street, spot: s }, t);
    for (const o of organisations(t.text, drop)) add(`across|${t.category}|org|${o}`, { kind: 'across', category: t.category, street: null, spot: null, org: o }, t);
  }

  // What an average street hears of a category in the window (over every street heard from at all).
  const perCategory = new Map<string, number>();
  const streetsHeard = new Set<string>();
  for (const t of inWindow) {
    perCategory.set(t.category, (perCategory.get(t.category) ?? 0) + 1);
    if (t.street) streetsHeard.add(t.street);
  }
  const background = (category: string) => (streetsHeard.size ? (perCategory.get(category) ?? 0) / streetsHeard.size : 0);

  const candidates: Suggestion[] = [];
  for (const [groupKey, g] of groups) {
    if (g.members.length < minTickets) continue;
    const alike = g.kind === 'place' ? samePlace : () => true;
    // A whole street is judged against the city's background: twice what a street hears of this category.
    const floor = g.kind === 'place' && !g.spot ? Math.max(minTickets, 2 * background(g.category)) : minTickets;
    for (const cluster of clusters(g.members, opts.bars, dropOf, alike, features)) {
      if (cluster.length < floor) continue;
      const weekly = Array.from({ length: weeks }, () => 0);
      for (const t of cluster) weekly[weekOf(t)]++;
      const activeWeeks = weekly.filter((n) => n > 0).length;
      if (activeWeeks < minWeeks) continue;
      const streets = countBy(cluster.map((t) => t.street));
      if (g.kind === 'across' && streets.length < 2) continue;
      const label = opts.label(g.category);
      const title =
        g.kind === 'across'
          ? `${g.org}：${streets.length}个街乡镇的${label}诉求反复出现`
          : g.spot
            ? `${fullName(g.spot, cluster.map((t) => t.text))}${label}问题反复出现（近${weeks}周有${activeWeeks}周）`
            : // A street hears of several problems of one category: the shortest complaint says which one this is.
              `${g.street}：「${gist(cluster, g.street)}」等${label}诉求反复出现（近${weeks}周有${activeWeeks}周）`;
      candidates.push({
        key: `${groupKey}|${cluster[0].id}`,
        kind: g.kind,
        title,
        category: g.category,
        street: g.street,
        // An across problem's organisation is what new tickets must name to be proposed for it.
        spot: g.spot ?? g.org ?? null,
        ticketIds: cluster.map((t) => t.id),
        weekly,
        units: countBy(cluster.map((t) => t.unit)),
        score: activeWeeks * 100 + cluster.length,
      });
    }
  }
  return withoutOverlap(candidates);
}

/** Single-link clusters of one group by text sameness, oldest ticket first in each. */
function clusters(
  members: SuggestionTicket[],
  bars: SamenessBars,
  dropOf: (t: SuggestionTicket) => (string | null)[],
  samePlace: (a: SuggestionTicket, b: SuggestionTicket) => boolean,
  features: TextFeatureCache,
): SuggestionTicket[][] {
  const out: SuggestionTicket[][] = [];
  for (const t of members) {
    const joined = out.filter((c) => c.some((o) => samePlace(t, o) && sameProblem(t.text, o.text, [...dropOf(t), ...dropOf(o)], bars, features).same));
    if (!joined.length) out.push([t]);
    else {
      // t links the clusters it matches into one.
      const merged = joined.flat();
      merged.push(t);
      for (const c of joined) out.splice(out.indexOf(c), 1);
      out.push(merged.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()));
    }
  }
  return out;
}

/**
 * One problem is often found twice — as its estate and as its street. The more specific finding (a named
 * spot or organisation) wins, then the stronger one; a candidate mostly made of tickets already suggested
 * is dropped.
 */
function withoutOverlap(candidates: Suggestion[]): Suggestion[] {
  const specific = (s: Suggestion) => (s.spot ? 1 : 0);
  const sorted = [...candidates].sort((a, b) => specific(b) - specific(a) || b.score - a.score || a.key.localeCompare(b.key));
  const taken = new Set<number>();
  const out: Suggestion[] = [];
  for (const s of sorted) {
    const overlap = s.ticketIds.filter((id) => taken.has(id)).length;
    if (overlap * 2 >= s.ticketIds.length) continue;
    out.push(s);
    for (const id of s.ticketIds) taken.add(id);
  }
  return out.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
}

/**
 * A spot is its kind and the few characters before it (风景小区); for a title, the name as the texts write it
 * (假日风景小区): extended one character at a time while two thirds of the texts agree on it.
 */
function fullName(spot: string, texts: string[]): string {
  let name = spot;
  while (name.length < 12) {
    const before = texts.map((t) => {
      const i = t.indexOf(name);
      return i > 0 ? t[i - 1] : '';
    });
    const top = countBy(before.filter((c) => /\p{Script=Han}/u.test(c)))[0];
    if (!top || before.filter((c) => c === top).length * 3 < texts.length * 2) break;
    name = top + name;
  }
  return name;
}

function gist(cluster: SuggestionTicket[], street: string | null): string {
  const text = cluster.map((t) => (street ? t.text.split(street).join('') : t.text).replace(/^[，。、\s]+/u, '')).reduce((a, b) => (b.length < a.length ? b : a));
  return text.length > 20 ? text.slice(0, 20) + '…' : text;
}

function countBy(values: (string | null)[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
}
