import { openDatabase } from '../src/tickets/db.js';
import { weekPeriod, previousPeriod, monthPeriod } from '../src/reports/period.js';
import { flowCounts, countBy, countReceived } from '../src/reports/volume.js';
import { dailySeries, risingCategories, busiestStreets, themeSeries } from '../src/reports/trends.js';
import { highFrequencyItems } from '../src/reports/high-frequency.js';
import { threeRatesBy } from '../src/reports/rates.js';
const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/jiesu_bench_1m' });
const db = database.db; const tz = 'Asia/Shanghai'; const now = new Date('2026-11-28T03:00:00Z');
const p = process.argv[2] === 'm' ? monthPeriod('2026-10-10', tz) : weekPeriod('2026-11-20', tz); const prev = previousPeriod(p, tz);
const tp = [p]; while (tp.length < 8) tp.unshift(previousPeriod(tp[0], tz));
const parts: [string, () => Promise<unknown>][] = [
 ['flow', () => flowCounts(db, p, now)], ['received', () => countReceived(db, prev)], ['series', () => dailySeries(db, p, tz)],
 ['byCategory', () => countBy(db, 'category', p, prev)], ['byChannel', () => countBy(db, 'channel', p, prev)], ['byDistrict', () => countBy(db, 'district', p, prev)],
 ['rising', () => risingCategories(db, p, prev)], ['streets', () => busiestStreets(db, p, prev)], ['themes', () => themeSeries(db, tp)],
 ['hf', () => highFrequencyItems(db, p, prev)], ['rates', () => threeRatesBy(db, p, ['all','district','street','unit'], now)]];
for (const [n, f] of parts) { const t = performance.now(); await f(); const a = performance.now() - t; const t2 = performance.now(); await f(); console.log(n.padEnd(12), a.toFixed(0), (performance.now() - t2).toFixed(0)); }
await database.close();
