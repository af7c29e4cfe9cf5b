// 日通报: the day's volume by channel, category and district, what came in and what was closed, what went
// overdue, the top 10 high-frequency items against the day before, and any spikes at the end of the day.
import type { Db } from '../tickets/db.js';
import { dayPeriod, labelAsOf, previousPeriod, type Period } from './period.js';
import { countBy, countReceived, flowCounts, type CountRow, type FlowCounts } from './volume.js';
import { highFrequencyItems, type HighFrequencyItem } from './high-frequency.js';
import { detectSpikes, type Spike } from './spikes.js';
import { categoryLabel, channelLabel } from './labels.js';
import { change, type RenderedReport, type ReportTable } from './report-table.js';

export interface DailyData {
  period: Period;
  flow: FlowCounts;
  previousReceived: number;
  byChannel: CountRow[];
  byCategory: CountRow[];
  byDistrict: CountRow[];
  highFrequency: HighFrequencyItem[];
  spikes: Spike[];
}

export async function dailyBulletin(db: Db, opts: { date: string; timeZone: string; now?: Date }): Promise<RenderedReport<DailyData>> {
  const now = opts.now ?? new Date();
  const period = dayPeriod(opts.date, opts.timeZone);
  const prev = previousPeriod(period, opts.timeZone);
  const [flow, previousReceived, byChannel, byCategory, byDistrict, highFrequency, spikes] = await Promise.all([
    flowCounts(db, period, now),
    countReceived(db, prev),
    countBy(db, 'channel', period, prev),
    countBy(db, 'category', period, prev),
    countBy(db, 'district', period, prev),
    highFrequencyItems(db, period, prev, 10),
    detectSpikes(db, { asOf: period.to, ticketLimit: 20 }),
  ]);
  const data: DailyData = { period, flow, previousReceived, byChannel, byCategory, byDistrict, highFrequency, spikes };
  const label = labelAsOf(period, now, opts.timeZone);
  return {
    meta: {
      kind: 'daily',
      title: `12345热线日通报（${label}）`,
      periodLabel: label,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      generatedAt: now.toISOString(),
      timeZone: opts.timeZone,
    },
    headline: [
      { label: '受理量', value: flow.received },
      { label: '较前一日', value: change(flow.received, previousReceived) },
      { label: '办结量', value: flow.closed },
      { label: '不予受理', value: flow.rejected },
      { label: '当日到期未办结（逾期）', value: flow.becameOverdue },
      { label: '当前逾期未办结', value: flow.overdueOpenNow },
    ],
    tables: dailyTables(data),
    data,
  };
}

export function countTable(id: string, title: string, keyLabel: string, rows: CountRow[], label: (k: string) => string, prevLabel: string): ReportTable {
  const total = rows.reduce((s, r) => s + r.count, 0);
  return {
    id,
    title,
    columns: [
      { key: 'name', label: keyLabel },
      { key: 'count', label: '数量' },
      { key: 'share', label: '占比' },
      { key: 'previous', label: prevLabel },
      { key: 'change', label: '变化', figure: true },
    ],
    rows: rows.map((r) => ({
      name: label(r.key) || '（未知）',
      count: r.count,
      share: total ? `${((r.count / total) * 100).toFixed(1)}%` : '—',
      previous: r.previous,
      change: change(r.count, r.previous),
    })),
  };
}

export function highFrequencyTable(items: HighFrequencyItem[], prevLabel: string): ReportTable {
  return {
    id: 'high-frequency',
    title: '高频诉求事项（同街乡镇、同类别）前10',
    columns: [
      { key: 'rank', label: '排名' },
      { key: 'district', label: '区' },
      { key: 'street', label: '街乡镇' },
      { key: 'category', label: '类别' },
      { key: 'count', label: '数量' },
      { key: 'previous', label: prevLabel },
      { key: 'change', label: '变化', figure: true },
    ],
    rows: items.map((h, i) => ({
      rank: i + 1,
      district: h.district,
      street: h.street,
      category: categoryLabel(h.category),
      count: h.count,
      previous: h.previous,
      change: change(h.count, h.previous),
    })),
  };
}

export function spikesTable(spikes: Spike[]): ReportTable {
  return {
    id: 'spikes',
    title: '突发激增预警',
    columns: [
      { key: 'district', label: '区' },
      { key: 'street', label: '街乡镇' },
      { key: 'category', label: '类别' },
      { key: 'count', label: '24小时数量' },
      { key: 'mean', label: '日均（前28天）' },
      { key: 'tickets', label: '相关工单' },
    ],
    rows: spikes.map((s) => ({
      district: s.district,
      street: s.street,
      category: categoryLabel(s.category),
      count: s.count,
      mean: s.mean,
      tickets: s.tickets.slice(0, 5).join(' ') + (s.tickets.length > 5 ? ' …' : ''),
    })),
    note: '过去24小时数量≥6件，且高出前28天日均值4个标准差以上（标准差至少按泊松波动√均值计）。',
  };
}

function dailyTables(d: DailyData): ReportTable[] {
  return [
    countTable('by-channel', '分渠道受理量', '渠道', d.byChannel, channelLabel, '前一日'),
    countTable('by-category', '分类别受理量', '类别', d.byCategory, categoryLabel, '前一日'),
    countTable('by-district', '分区受理量', '区', d.byDistrict, (k) => k, '前一日'),
    highFrequencyTable(d.highFrequency, '前一日'),
    spikesTable(d.spikes),
  ];
}
