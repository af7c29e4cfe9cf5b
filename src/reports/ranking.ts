// The monthly ranking of streets into four classes (先进类 / 较好类 / 一般类 / 治理类), as the city does to
// point attention where it is needed. Streets are ordered by the three-rate composite score; the top 20% are
// 先进类, the next 30% 较好类, the next 30% 一般类, the last 20% 治理类. Volume matters too: a street among the
// busiest tenth whose score is below the median is 治理类 whatever its place (诉求量大、问题集中). Streets with
// fewer than `minTickets` judged tickets are not ranked (样本不足): a handful of tickets says little.
import type { RateRow } from './rates.js';

export const CLASSES = ['先进类', '较好类', '一般类', '治理类'] as const;
export type StreetClass = (typeof CLASSES)[number];

export interface RankedStreet extends RateRow {
  rank: number;
  class: StreetClass;
  /** Why it is in its class, for the page: '综合得分前20%' / '诉求量前10%且得分低于中位数' … */
  reason: string;
}

export interface Ranking {
  ranked: RankedStreet[];
  /** Too few tickets to rank. */
  unranked: RateRow[];
  counts: Record<StreetClass, number>;
}

export function rankStreets(rows: RateRow[], opts: { minTickets?: number } = {}): Ranking {
  const minTickets = opts.minTickets ?? 10;
  const eligible = rows.filter((r) => r.score !== null && r.total >= minTickets);
  const unranked = rows.filter((r) => !eligible.includes(r));
  const byScore = [...eligible].sort((a, b) => b.score! - a.score! || b.total - a.total || a.key.localeCompare(b.key));
  const n = byScore.length;
  const median = n ? byScore[Math.floor((n - 1) / 2)].score! : 0;
  const byVolume = [...eligible].sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
  const id = (r: RateRow) => `${r.district}|${r.key}`;
  const busiest = new Set(byVolume.slice(0, Math.ceil(n * 0.1)).map(id));

  const counts: Record<StreetClass, number> = { 先进类: 0, 较好类: 0, 一般类: 0, 治理类: 0 };
  const ranked = byScore.map((r, i): RankedStreet => {
    const share = (i + 1) / n;
    let cls: StreetClass = share <= 0.2 ? '先进类' : share <= 0.5 ? '较好类' : share <= 0.8 ? '一般类' : '治理类';
    let reason = cls === '先进类' ? '综合得分前20%' : cls === '较好类' ? '综合得分20%–50%' : cls === '一般类' ? '综合得分50%–80%' : '综合得分后20%';
    if (cls !== '治理类' && busiest.has(id(r)) && r.score! < median) {
      cls = '治理类';
      reason = '诉求量前10%且综合得分低于中位数';
    }
    counts[cls] += 1;
    return { ...r, rank: i + 1, class: cls, reason };
  });
  return { ranked, unranked, counts };
}
