// The report SQL on a small hand-computed history (tests/integration/reports-fixture.ts explains every
// number), on a real PostgreSQL server and on PGlite: the same queries must give the same figures on both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/tickets/db.js';
import { createTestDatabase } from '../helpers/databases.js';
import { dayPeriod, previousPeriod, weekPeriod, monthPeriod, startOfLocalDay, lastCompletePeriod } from '../../src/reports/period.js';
import { countBy, flowCounts } from '../../src/reports/volume.js';
import { highFrequencyItems } from '../../src/reports/high-frequency.js';
import { threeRates, threeRatesBy } from '../../src/reports/rates.js';
import { rankStreets } from '../../src/reports/ranking.js';
import { heatMap } from '../../src/reports/heatmap.js';
import { detectSpikes } from '../../src/reports/spikes.js';
import { dailyBulletin } from '../../src/reports/daily-bulletin.js';
import { monthlyAnalysis, weeklySummary } from '../../src/reports/period-analysis.js';
import { renderReport } from '../../src/reports/render.js';
import { D, NOW, SPIKE_AS_OF, TZ, insertDayFixture, insertSpikeFixture } from './reports-fixture.js';
import type { RateRow } from '../../src/reports/rates.js';
import { registerChannelLabels } from '../../src/reports/labels.js';
import { channelLabels } from '../../channels/index.js';

// As the composition root does: each channel's label comes from its adapter.
registerChannelLabels(channelLabels());

const byKey = <T extends { key: string }>(rows: T[]) => Object.fromEntries(rows.map((r) => [r.key, r]));

describe('report periods (Beijing time)', () => {
  it('cuts days, ISO weeks and months at local midnight', () => {
    const d = dayPeriod('2026-03-10', TZ);
    expect(d.from.toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(d.to.toISOString()).toBe('2026-03-10T16:00:00.000Z');
    const w = weekPeriod('2026-03-12', TZ);
    expect([w.start, w.end, w.days]).toEqual(['2026-03-09', '2026-03-15', 7]);
    expect(w.label).toContain('第11周');
    const m = monthPeriod('2026-02-14', TZ);
    expect([m.start, m.end, m.days]).toEqual(['2026-02-01', '2026-02-28', 28]);
    expect(previousPeriod(m, TZ).start).toBe('2026-01-01');
    expect(startOfLocalDay('2026-01-01', 'Europe/Berlin').toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(lastCompletePeriod('week', new Date('2026-03-12T04:00:00Z'), TZ).start).toBe('2026-03-02');
  });
});

describe('four-class ranking', () => {
  const row = (key: string, total: number, score: number): RateRow => ({
    key, district: '某区', total, responded: 0, responseBase: 0, resolved: 0, resolutionBase: 0, satisfied: 0, basically: 0, unsatisfied: 0,
    responseRate: null, resolutionRate: null, satisfactionRate: null, score,
  });
  it('splits by score 20/30/30/20, sends busy low scorers to 治理类, leaves small streets unranked', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(`s${i}`, 20, 100 - i));
    rows[6] = row('busy', 500, 94); // the busiest street (top 10%) scoring below the median (95.5)
    rows.push(row('tiny', 3, 100));
    const r = rankStreets(rows);
    expect(r.unranked.map((x) => x.key)).toEqual(['tiny']);
    expect(r.ranked.map((x) => x.class)).toEqual(['先进类', '先进类', '较好类', '较好类', '较好类', '一般类', '治理类', '一般类', '治理类', '治理类']);
    expect(r.ranked.find((x) => x.key === 'busy')).toMatchObject({ class: '治理类', reason: '诉求量前10%且综合得分低于中位数' });
    expect(r.counts).toEqual({ 先进类: 2, 较好类: 3, 一般类: 2, 治理类: 3 });
  });
});

for (const kind of ['postgres', 'pglite'] as const) {
  describe(`report SQL on ${kind}`, () => {
    let database: Database;
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      if (kind === 'postgres') {
        const t = await createTestDatabase();
        drop = t.drop;
        database = await openDatabase({ databaseUrl: t.url });
      } else {
        database = await openDatabase({ pgliteDir: 'memory://' });
      }
      await database.migrate();
      await insertDayFixture(database.db);
      await insertSpikeFixture(database.db);
    }, 120_000);

    afterAll(async () => {
      await database?.close();
      await drop?.();
    });

    const day = () => dayPeriod(D, TZ);
    const prev = () => previousPeriod(day(), TZ);

    it('counts the day by channel, category and district, with the day before', async () => {
      const db = database.db;
      expect(byKey(await countBy(db, 'channel', day(), prev()))).toEqual({
        webchat: { key: 'webchat', count: 4, previous: 1 },
        api: { key: 'api', count: 2, previous: 2 },
        wechat: { key: 'wechat', count: 1, previous: 1 },
      });
      expect(byKey(await countBy(db, 'category', day(), prev()))).toEqual({
        noise: { key: 'noise', count: 3, previous: 1 },
        heating: { key: 'heating', count: 3, previous: 1 },
        parking: { key: 'parking', count: 1, previous: 0 },
      });
      expect(byKey(await countBy(db, 'district', day(), prev()))).toEqual({
        朝阳区: { key: '朝阳区', count: 4, previous: 3 },
        丰台区: { key: '丰台区', count: 3, previous: 1 },
      });
    });

    it('counts received, closed, rejected, became overdue and overdue now', async () => {
      expect(await flowCounts(database.db, day(), NOW)).toEqual({ received: 7, closed: 5, rejected: 1, becameOverdue: 1, overdueOpenNow: 3 });
    });

    it('ranks high-frequency items (same category, same street) against the day before', async () => {
      const items = await highFrequencyItems(database.db, day(), prev(), 10);
      expect(items).toHaveLength(3);
      expect(items.slice(0, 2).map((i) => `${i.street}/${i.category}=${i.count}(${i.previous})`).sort()).toEqual(['三里屯街道/noise=3(1)', '卢沟桥街道/heating=3(1)']);
      expect(items[2]).toMatchObject({ street: '三里屯街道', category: 'parking', count: 1, previous: 0 });
    });

    it('computes the three rates for the city, per street and per unit', async () => {
      const all = await threeRatesBy(database.db, day(), ['all', 'street', 'unit', 'district'], NOW);
      expect(all.all).toHaveLength(1);
      expect(all.all[0]).toMatchObject({ key: '全市', total: 5, responded: 3, responseBase: 5, resolved: 3, resolutionBase: 5, satisfied: 1, basically: 1, unsatisfied: 1 });
      expect(all.all[0].responseRate).toBeCloseTo(0.6, 10);
      expect(all.all[0].resolutionRate).toBeCloseTo(0.6, 10);
      expect(all.all[0].satisfactionRate).toBeCloseTo(2 / 3, 10);
      expect(all.all[0].score).toBe(63);
      const streets = byKey(all.street);
      expect(streets['三里屯街道']).toMatchObject({ district: '朝阳区', total: 3, responded: 2, resolved: 3, satisfied: 1, basically: 1, unsatisfied: 0, score: 96.67 });
      expect(streets['卢沟桥街道']).toMatchObject({ district: '丰台区', total: 2, responded: 1, resolved: 0, unsatisfied: 1, score: 5 });
      expect(all.street.map((r) => r.key)).toEqual(['三里屯街道', '卢沟桥街道']);
      expect(byKey(all.unit)['卢沟桥街道'].score).toBe(5);
      expect(byKey(all.district)['朝阳区'].score).toBe(96.67);
      expect((await threeRates(database.db, day(), 'street', NOW)).length).toBe(2);
    });

    it('builds the heat map of streets × categories', async () => {
      const hm = await heatMap(database.db, day());
      expect(hm.streets).toEqual([
        { district: '朝阳区', street: '三里屯街道', total: 4 },
        { district: '丰台区', street: '卢沟桥街道', total: 3 },
      ]);
      const cells = Object.fromEntries(hm.cells.map(([s, c, n]) => [`${hm.streets[s].street}/${hm.categories[c]}`, n]));
      expect(cells).toEqual({ '三里屯街道/noise': 3, '三里屯街道/parking': 1, '卢沟桥街道/heating': 3 });
      expect(hm.max).toBe(3);
    });

    it('finds the one spike: 14 greening reports where there are usually 0.25 a day', async () => {
      const spikes = await detectSpikes(database.db, { asOf: SPIKE_AS_OF });
      expect(spikes).toHaveLength(1);
      expect(spikes[0]).toMatchObject({ street: '东华门街道', category: 'greening', count: 14, mean: 0.25, stddev: 0.43, z: 13.75 });
      expect(spikes[0].tickets).toHaveLength(14);
    });

    it('renders the daily bulletin as Markdown and CSV, and weekly / monthly analyses', async () => {
      const daily = await dailyBulletin(database.db, { date: D, timeZone: TZ, now: NOW });
      expect(daily.headline.slice(0, 3)).toEqual([
        { label: '受理量', value: 7 },
        { label: '较前一日', value: '+3（+75.0%）' },
        { label: '办结量', value: 5 },
      ]);
      const md = renderReport(daily, 'md');
      expect(md).toContain('# 12345热线日通报（2026年3月10日）');
      expect(md).toContain('| 网站对话 | 4 | 57.1% | 1 | +3（+300.0%） |');
      const csv = renderReport(daily, 'csv', 'by-category');
      expect(csv.startsWith('\uFEFF类别,数量,占比,前一日,变化\r\n')).toBe(true);
      expect(csv).toContain('噪声扰民,3,42.9%,1,+2（+200.0%）');
      const weekly = await weeklySummary(database.db, { date: D, timeZone: TZ, now: NOW });
      expect(weekly.headline[0]).toEqual({ label: '受理量', value: 11 });
      expect(weekly.tables.map((t) => t.id)).toContain('themes');
      const monthly = await monthlyAnalysis(database.db, { date: D, timeZone: TZ, now: NOW });
      expect(monthly.data.ranking?.unranked.length).toBe(2); // 3 and 2 tickets: below the 10 needed to rank
      expect(monthly.headline.find((h) => h.label === '较去年同月')?.value).toBe('无同期数据');
    });
  });
}
