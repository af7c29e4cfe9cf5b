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
import { sql } from 'drizzle-orm';
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

/**
 * Response events that can matter: a ticket's limit is at most 15 days (+1 day of margin for a reopened
 * ticket's re-dispatch), and a response after the limit is late whatever it is, so only events up to then
 * are read. This bounds the scan to the period plus 16 days of events instead of everything since.
 */
const RESPONSE_WINDOW_MS = 16 * 86_400_000;

/** Bits of GROUPING(street, district, unit) for each grouping set: a set bit = that column is not grouped. */
const GROUPING_BITS: Record<RateGroup, number> = { street: 1, district: 5, unit: 6, all: 7 };

/**
 * The three rates for several groupings in one pass over the period's tickets (GROUPING SETS): the monthly
 * analysis needs the city, the districts, the streets and the units, and reading the events once for all
 * four is four times cheaper. All four sets are always computed (GROUPING() needs every column grouped
 * somewhere, and the extra hashing is small next to the join); only the requested ones are returned.
 */
export async function threeRatesBy(db: Db, period: Period, groups: readonly RateGroup[], asOf: Date): Promise<Record<RateGroup, RateRow[]>> {
  for (const g of groups) if (!RATE_GROUPS.includes(g)) throw new RangeError(`unknown grouping ${g}`);
  const raw = await queryRows<RawRateRow & { g: number; street: string | null; district_raw: string | null; unit: string | null }>(
    db,
    sql`with t as (
          select t.id, t.street, t.district, t.unit, t.status, t.due_at, t.rating
          from tickets t
          where t.created_at >= ${period.from} and t.created_at < ${period.to}
            and t.status <> 'rejected' and t.duplicate_of is null
        ), r as (
          select e.ticket_id, min(e.created_at) as first_response
          from ticket_events e
          where e.to_status in (${sqlList(RESPONSE_STATUSES)})
            and e.created_at >= ${period.from} and e.created_at < ${new Date(period.to.getTime() + RESPONSE_WINDOW_MS)}
          group by e.ticket_id
        )
        select grouping(t.street, t.district, t.unit)::int as g, t.street, t.district as district_raw, t.unit,
          count(*)::int as total,
          (count(*) filter (where r.first_response <= t.due_at))::int as responded,
          (count(*) filter (where r.first_response is not null or t.due_at <= ${asOf}))::int as response_base,
          (count(*) filter (where t.status in (${sqlList(CLOSED_STATUSES)})))::int as resolved,
          (count(*) filter (where t.status in (${sqlList(CLOSED_STATUSES)}) or t.due_at <= ${asOf}))::int as resolution_base,
          (count(*) filter (where t.rating = 'satisfied'))::int as satisfied,
          (count(*) filter (where t.rating = 'basically'))::int as basically,
          (count(*) filter (where t.rating = 'unsatisfied'))::int as unsatisfied
        from t left join r on r.ticket_id = t.id
        group by grouping sets ((t.street, t.district), (t.district), (t.unit), ())`,
  );
  const out = {} as Record<RateGroup, RateRow[]>;
  for (const g of groups) {
    const rows = raw.filter((r) => r.g === GROUPING_BITS[g]);
    const keyed = rows.flatMap((r) => {
      const key = g === 'street' ? r.street : g === 'district' ? r.district_raw : g === 'unit' ? r.unit : '全市';
      if (key === null) return []; // tickets without that place or unit belong to no group of this kind
      return [toRateRow({ ...r, key, district: g === 'street' || g === 'district' ? (r.district_raw ?? '') : '' })];
    });
    out[g] = keyed.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.total - a.total || a.key.localeCompare(b.key));
  }
  return out;
}

export async function threeRates(db: Db, period: Period, by: RateGroup, asOf: Date): Promise<RateRow[]> {
  return (await threeRatesBy(db, period, [by], asOf))[by];
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
