// 报到率 (吹哨报到) over real PostgreSQL with a controlled clock: per called unit, the call-ins made in the
// period, reported on time ÷ judged (reported, or past the limit by asOf), and the mean time to report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/tickets/db.js';
import { TicketStore, type NewTicket } from '../../src/tickets/ticket-store.js';
import { loadDispatchTable } from '../../src/tickets/dispatch-table.js';
import { createTicket } from '../../src/tickets/ticket-intake.js';
import { JointHandling, type Caller } from '../../src/tickets/joint-handling.js';
import { callinRates, callinRateTable } from '../../src/reports/callin-rates.js';
import { dayPeriod } from '../../src/reports/period.js';
import { monthlyAnalysis } from '../../src/reports/period-analysis.js';
import { ticketInput } from '../helpers/ticket-input.js';
import { openTestDatabase } from '../helpers/databases.js';

const TZ = 'Asia/Shanghai';
const DEPT = '丰台区园林绿化局';
const CITY = '北京市园林绿化局';
const admin: Caller = { user: 'admin', role: 'admin' };
let database: Database;
let closeDatabase: (() => Promise<void>) | undefined;
let store: TicketStore;
let joint: JointHandling;
let clock = new Date('2026-11-28T00:00:00Z');
const at = (iso: string) => (clock = new Date(iso));

async function ticket(over: Partial<NewTicket>): Promise<string> {
  const { ticket } = await createTicket({ store, table: loadDispatchTable() }, ticketInput({ receivedAt: clock, ...over }));
  return ticket.number;
}

beforeAll(async () => {
  ({ database, close: closeDatabase } = await openTestDatabase());
  store = new TicketStore(database.db, TZ, () => clock);
  joint = new JointHandling({ db: database.db, table: loadDispatchTable(), now: () => clock });
});
afterAll(async () => {
  await closeDatabase?.();
});

describe('报到率', () => {
  it('counts on-time reports over judged call-ins per called unit, with the mean time to report', async () => {
    // 2026-11-28 in Beijing is 2026-11-27T16:00Z .. 2026-11-28T16:00Z.
    at('2026-11-28T00:30:00Z');
    const a = await ticket({ tier: '2h' });
    const b = await ticket({ tier: '7d' });
    const c = await ticket({ tier: '2h' });
    const d = await ticket({ tier: '7d' });
    const e = await ticket({ tier: '2h' });

    at('2026-11-28T01:00:00Z');
    await joint.callIn({ number: a, units: [DEPT, CITY], caller: admin }); // due 03:00Z
    await joint.callIn({ number: b, units: [DEPT], caller: admin }); // 7-day ticket: due the next day 01:00Z
    at('2026-11-28T01:30:00Z');
    await joint.report({ number: a, unit: CITY, note: '已派员', caller: admin }); // 30 min, on time
    at('2026-11-28T02:00:00Z');
    await joint.report({ number: a, unit: DEPT, note: '已到场', caller: admin }); // 60 min, on time
    at('2026-11-28T10:00:00Z');
    await joint.callIn({ number: c, units: [DEPT], caller: admin }); // due 12:00Z, never reported: missed
    at('2026-11-28T15:00:00Z');
    await joint.callIn({ number: d, units: [DEPT], caller: admin }); // due 11-29 15:00Z: not judged by asOf
    at('2026-11-29T01:00:00Z');
    await joint.callIn({ number: e, units: [DEPT], caller: admin }); // the next day (09:00 in Beijing): another period
    at('2026-11-29T03:00:00Z');
    await joint.report({ number: b, unit: DEPT, note: '已处理', caller: admin }); // 26 h after the call: late

    const rows = await callinRates(database.db, dayPeriod('2026-11-28', TZ), new Date('2026-11-29T12:00:00Z'));
    expect(rows).toEqual([
      { unit: CITY, called: 1, judged: 1, onTime: 1, lateReported: 0, missing: 0, reportRate: 1, avgReportMinutes: 30 },
      { unit: DEPT, called: 4, judged: 3, onTime: 1, lateReported: 1, missing: 1, reportRate: 1 / 3, avgReportMinutes: (60 + 26 * 60) / 2 },
    ]);
    const table = callinRateTable(rows);
    expect(table.rows[1]).toEqual({ unit: DEPT, called: 4, onTime: 1, lateReported: 1, missing: 1, rate: '33.3%', avg: '13.5小时' });
    expect(table.rows[0]).toMatchObject({ rate: '100.0%', avg: '30分钟' });

    // Nothing called in the period: no rows, not a row of zeros.
    expect(await callinRates(database.db, dayPeriod('2026-11-27', TZ), new Date('2026-11-29T12:00:00Z'))).toEqual([]);

    // The monthly analysis (and so its Markdown, CSV, HTML and PDF exports) carries the same table.
    const monthly = await monthlyAnalysis(database.db, { date: '2026-11-01', timeZone: TZ, now: new Date('2026-11-29T12:00:00Z') });
    const callins = monthly.tables.find((t) => t.id === 'callins');
    expect(callins?.rows.find((r) => r.unit === DEPT)).toMatchObject({ called: 5, missing: 2, rate: '25.0%' });
    const october = await monthlyAnalysis(database.db, { date: '2026-10-01', timeZone: TZ, now: new Date('2026-11-29T12:00:00Z') });
    expect(october.tables.some((t) => t.id === 'callins')).toBe(false);
  });
});
