// The suggestion rules on small hand-made sets: 3 of 8 weeks qualifies and 2 does not, tickets naming different
// estates are not one problem, a street's cluster must stand above the category's background, and one cause
// at several streets needs its name in common.
import { describe, expect, it } from 'vitest';
import { suggestProblems, type SuggestionTicket } from '../../src/tickets/problem-suggestions.js';

const asOf = new Date('2026-12-01T00:00:00Z');
const WEEK = 7 * 86_400_000;
const bars = { minSimilarity: 0.35, minSimilarityAtSpot: 0.15 };
let id = 0;
/** A ticket `week` weeks back (0 = the last week), a day into it. */
function t(week: number, text: string, street = '卢沟桥街道', category = 'municipal'): SuggestionTicket {
  return { id: ++id, text, category, district: '丰台区', street, unit: `${street}办事处`, createdAt: new Date(asOf.getTime() - (week + 1) * WEEK + 86_400_000) };
}
const run = (tickets: SuggestionTicket[]) => suggestProblems(tickets, { asOf, bars, label: () => '市政设施' });

describe('problem suggestions', () => {
  it('needs at least 3 of the 8 weeks', () => {
    const three = [t(0, '丰台北路井盖丢了'), t(0, '丰台北路井盖又丢了'), t(3, '丰台北路的井盖没了'), t(6, '丰台北路井盖丢了很危险')];
    expect(run(three)).toHaveLength(1);
    expect(run(three)[0].weekly).toEqual([0, 1, 0, 0, 1, 0, 0, 2]);
    const two = [t(0, '丰台北路井盖丢了'), t(0, '丰台北路井盖又丢了'), t(3, '丰台北路的井盖没了'), t(3, '丰台北路井盖丢了很危险')];
    expect(run(two)).toEqual([]);
    // Nor a ninth week back.
    expect(run([...two.slice(0, 3), t(8, '丰台北路井盖丢了很危险')])).toEqual([]);
  });

  it('does not pool alike complaints about different estates of one street', () => {
    const estates = ['阳光小区', '幸福家园', '东方花园', '嘉园小区'].map((e, w) => t(w, `${e}门口垃圾桶满了没人清`));
    expect(run(estates)).toEqual([]);
    const one = [0, 2, 4, 6].map((w) => t(w, '阳光小区门口垃圾桶满了没人清'));
    expect(run(one).map((s) => s.spot)).toEqual(['阳光小区']);
  });

  it('judges a whole street against the background of its category', () => {
    const here = [0, 2, 4, 6].map((w) => t(w, '路灯不亮了'));
    const elsewhere = ['新村街道', '南苑街道', '东高地街道'].map((s, w) => t(w, '楼下饭馆油烟太大', s, 'pollution'));
    expect(run([...here, ...elsewhere])).toHaveLength(1);
    // The same four at one street, when every street hears four of them, is the background.
    const everywhere = ['新村街道', '南苑街道', '东高地街道'].flatMap((s) => [1, 3, 5, 7].map((w) => t(w, '路灯不亮了', s)));
    expect(run([...here, ...everywhere])).toEqual([]);
  });

  it('finds one organisation behind complaints at several streets, not the same words at several streets', () => {
    const named = [t(0, '玉林小区首开物业不清运垃圾', '右安门街道', 'property'), t(2, '莲花小区首开物业不清运垃圾', '太平桥街道', 'property'), t(4, '洋桥小区首开物业不清运垃圾', '西罗园街道', 'property'), t(6, '玉林小区首开物业又不清运垃圾', '右安门街道', 'property')];
    expect(run(named).map((s) => [s.kind, s.spot, s.units.length])).toEqual([['across', '首开物业', 3]]);
    const unnamed = named.map((x) => ({ ...x, id: ++id, text: x.text.replace('首开', '') }));
    expect(run(unnamed)).toEqual([]);
  });
});
