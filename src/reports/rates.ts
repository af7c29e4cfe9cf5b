// The three rates (三率) the city ranks streets and departments by, over the tickets received in a period:
//
//   响应率 response     — tickets the office acted on (first move to in_progress / resolved) within the time
//                         limit ÷ tickets already judged (acted on, or whose limit has passed by `asOf`);
//   解决率 resolution   — tickets closed (resolved or visited, and not reopened since) ÷ tickets judged
//                         (closed, or past their limit by `asOf`);
//   满意率 satisfaction — ratings 满意 + 基本满意 ÷ all ratings (the citizen's latest return-visit answer).
//
// Tickets still open within their limit are not judged yet, so a report on yesterday does not punish offices
// for work that is not due. Rejected tickets (not the hotline's remit) and duplicate reports (handled once,
// with their primary) are left out. The composite score uses the city's weights: 10% response, 45% resolution,
// 45% satisfaction; a rate with no data drops out and the others are re-weighted.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../tickets/db.js';
import type { Period } from './period.js';
import { queryRows } from './sql-rows.js';
import { RESPONSE_STATUSES, CLOSED_STATUSES, sqlList } from './status-sets.js';

export const RATE_GROUPS = ['street', 'unit', 'district', 'all'] as const;
export type RateGroup = (typeof RATE_GROUPS)[number];

export const SCORE_WEIGHTS = { response: 0.1, resolution: 0.45, satisfaction: 0.45 } as const;

export interface RateRow {
  /** Street, unit or district name; '全市' for the whole city. */
  key: string;
  district: string;
  total: number;
  responded: number;
  responseBase: number;
  resolved: number;
  resolutionBase: number;
  satisfied: number;
  basically: number;
  unsatisfied: number;
  /** 0..1, or null when nothing is judged yet. */
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  /** 0..100 composite, or null when no rate has data. */
  score: number | null;
}

interface RawRateRow {
  key: string;
  district: string;
  total: number;
  responded: number;
  response_base: number;
  resolved: number;
  resolution_base: number;
  satisfied: number;
  basically: number;
  unsatisfied: number;
}

function groupColumns(by: RateGroup): { key: SQL; district: SQL; where: SQL } {
  switch (by) {
    case 'street':
      return { key: sql`t.street`, district: sql`coalesce(t.district, '')`, where: sql`and t.street is not null` };
    case 'unit':
      return { key: sql`t.unit`, district: sql`''`, where: sql`and t.unit is not null` };
    case 'district':
      return { key: sql`t.district`, district: sql`t.district`, where: sql`and t.district is not null` };
    default:
      return { key: sql`'全市'`, district: sql`''`, where: sql`` };
  }
}

export async function threeRates(db: Db, period: Period, by: RateGroup, asOf: Date): Promise<RateRow[]> {
  if (!RATE_GROUPS.includes(by)) throw new RangeError(`unknown grouping ${by}`);
  const g = groupColumns(by);
  const raw = await queryRows<RawRateRow>(
    db,
    sql`with t as (
          select t.id, ${g.key} as key, ${g.district} as district, t.status, t.due_at, t.rating,
                 (select min(e.created_at) from ticket_events e
                   where e.ticket_id = t.id and e.to_status in (${sqlList(RESPONSE_STATUSES)})) as first_response
          from tickets t
          where t.created_at >= ${period.from} and t.created_at < ${period.to}
            and t.status <> 'rejected' and t.duplicate_of is null ${g.where}
        )
        select key, district, count(*)::int as total,
          (count(*) filter (where first_response <= due_at))::int as responded,
          (count(*) filter (where first_response is not null or due_at <= ${asOf}))::int as response_base,
          (count(*) filter (where status in (${sqlList(CLOSED_STATUSES)})))::int as resolved,
          (count(*) filter (where status in (${sqlList(CLOSED_STATUSES)}) or due_at <= ${asOf}))::int as resolution_base,
          (count(*) filter (where rating = 'satisfied'))::int as satisfied,
          (count(*) filter (where rating = 'basically'))::int as basically,
          (count(*) filter (where rating = 'unsatisfied'))::int as unsatisfied
        from t group by key, district`,
  );
  return raw.map(toRateRow).sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.total - a.total || a.key.localeCompare(b.key));
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

export function toRateRow(r: RawRateRow): RateRow {
  const responseRate = ratio(r.responded, r.response_base);
  const resolutionRate = ratio(r.resolved, r.resolution_base);
  const rated = r.satisfied + r.basically + r.unsatisfied;
  const satisfactionRate = ratio(r.satisfied + r.basically, rated);
  return {
    key: r.key,
    district: r.district,
    total: r.total,
    responded: r.responded,
    responseBase: r.response_base,
    resolved: r.resolved,
    resolutionBase: r.resolution_base,
    satisfied: r.satisfied,
    basically: r.basically,
    unsatisfied: r.unsatisfied,
    responseRate,
    resolutionRate,
    satisfactionRate,
    score: compositeScore({ responseRate, resolutionRate, satisfactionRate }),
  };
}

export function compositeScore(r: { responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null }): number | null {
  const parts: [number | null, number][] = [
    [r.responseRate, SCORE_WEIGHTS.response],
    [r.resolutionRate, SCORE_WEIGHTS.resolution],
    [r.satisfactionRate, SCORE_WEIGHTS.satisfaction],
  ];
  const known = parts.filter((p): p is [number, number] => p[0] !== null);
  if (!known.length) return null;
  const weight = known.reduce((s, p) => s + p[1], 0);
  return Math.round((known.reduce((s, p) => s + p[0] * p[1], 0) / weight) * 10000) / 100;
}
