// 报到率 (吹哨报到): how the units called in to tickets answered, per called unit, over the call-ins made in a
// period:
//
//   报到率 report rate — call-ins reported within their limit ÷ call-ins already judged (reported, or whose
//                         limit has passed by `asOf`);
//   平均报到用时       — the mean time from the call-in to the report, over the reported ones.
//
// As with the three rates (rates.ts), a call-in still unreported within its limit is not judged yet, so a
// report on yesterday does not count a call-in made last night and due this morning as missed.
import { sql } from 'drizzle-orm';
import type { Db } from '../tickets/db.js';
import type { Period } from './period.js';
import { queryRows } from './sql-rows.js';
import { pct, type ReportTable } from './report-table.js';

export interface CallinRateRow {
  /** The called unit (a department, usually). */
  unit: string;
  called: number;
  /** Reported, or past the limit by `asOf`: the base of the rate. */
  judged: number;
  onTime: number;
  /** Reported after the limit. */
  lateReported: number;
  /** Past the limit by `asOf` without a report. */
  missing: number;
  /** 0..1, or null when nothing is judged yet. */
  reportRate: number | null;
  /** Mean minutes from call-in to report, or null when none reported. */
  avgReportMinutes: number | null;
}

interface Raw {
  unit: string;
  called: number;
  judged: number;
  on_time: number;
  late_reported: number;
  missing: number;
  avg_minutes: number | null;
}

export async function callinRates(db: Db, period: Period, asOf: Date): Promise<CallinRateRow[]> {
  const rows = await queryRows<Raw>(
    db,
    sql`select c.unit,
          count(*)::int as called,
          (count(*) filter (where c.reported_at is not null or c.due_at <= ${asOf}))::int as judged,
          (count(*) filter (where c.reported_at <= c.due_at))::int as on_time,
          (count(*) filter (where c.reported_at > c.due_at))::int as late_reported,
          (count(*) filter (where c.reported_at is null and c.due_at <= ${asOf}))::int as missing,
          (avg(extract(epoch from (c.reported_at - c.called_at))) filter (where c.reported_at is not null) / 60)::float8 as avg_minutes
        from ticket_callins c
        where c.called_at >= ${period.from} and c.called_at < ${period.to}
        group by c.unit`,
  );
  return rows
    .map((r) => ({
      unit: r.unit,
      called: r.called,
      judged: r.judged,
      onTime: r.on_time,
      lateReported: r.late_reported,
      missing: r.missing,
      reportRate: r.judged > 0 ? r.on_time / r.judged : null,
      avgReportMinutes: r.avg_minutes === null ? null : Math.round(r.avg_minutes * 10) / 10,
    }))
    .sort((a, b) => (b.reportRate ?? -1) - (a.reportRate ?? -1) || b.called - a.called || a.unit.localeCompare(b.unit));
}

/** Minutes as people read a duration: 45分钟, 2.5小时. */
export function durationLabel(minutes: number | null): string {
  if (minutes === null) return '—';
  return minutes < 60 ? `${Math.round(minutes)}分钟` : `${(minutes / 60).toFixed(1)}小时`;
}

export function callinRateTable(rows: CallinRateRow[]): ReportTable {
  return {
    id: 'callins',
    title: '吹哨报到（报到率）',
    columns: [
      { key: 'unit', label: '被吹哨单位' },
      { key: 'called', label: '吹哨次数' },
      { key: 'onTime', label: '按时报到' },
      { key: 'lateReported', label: '超时报到' },
      { key: 'missing', label: '超时未报到' },
      { key: 'rate', label: '报到率' },
      { key: 'avg', label: '平均报到用时' },
    ],
    rows: rows.map((r) => ({ unit: r.unit, called: r.called, onTime: r.onTime, lateReported: r.lateReported, missing: r.missing, rate: pct(r.reportRate), avg: durationLabel(r.avgReportMinutes) })),
    note: '报到率 = 按时报到 ÷（已报到 + 超时未报到）；未到报到时限且未报到的不计入。时限：2小时、24小时工单2小时，其余24小时。',
  };
}
