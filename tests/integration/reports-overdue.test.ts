// Regression (issue 16 §7): the weekly and monthly 逾期件 counted open tickets whose deadline was still ahead, so a
// report on the current month called most of its fresh tickets overdue. A ticket is overdue once its deadline
// has passed (before the period's end and before now) without its being finished by then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/tickets/db.js';
import { openTestDatabase } from '../helpers/databases.js';
import { dayPeriod, monthPeriod, weekPeriod } from '../../src/reports/period.js';
import { flowCounts } from '../../src/reports/volume.js';
import { monthlyAnalysis, weeklySummary } from '../../src/reports/period-analysis.js';
import { dailyBulletin } from '../../src/reports/daily-bulletin.js';
import { TZ, insertTicket } from './reports-fixture.js';

// Friday 4 December 2026, 16:00 in Beijing; the fixture's hours count from 2026-03-10 00:00 Beijing.
const NOW = new Date('2026-12-04T08:00:00Z');
const hour = (iso: string) => (Date.parse(iso) - Date.parse('2026-03-09T16:00:00Z')) / 3600_000;
const place = { district: '朝阳区', street: '三里屯街道', unit: '三里屯街道' };
let database: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
  const db = database.db;
  const ticket = (createdAt: string, tier: string, steps: [string, number][] = []) =>
    insertTicket(db, { place, category: 'noise', channel: 'webchat', tier, created: 0, createdAt: new Date(createdAt), steps, dayKey: '20261204' });
  // Made this week, deadlines still ahead (now is 08:00Z): not overdue, however the week or month ends.
  for (let i = 0; i < 5; i++) await ticket(`2026-12-04T07:${10 + i}:00Z`, '7d');
  await ticket('2026-12-04T07:30:00Z', '24h');
  await ticket('2026-12-03T09:00:00Z', '24h', [['in_progress', hour('2026-12-03T10:00:00Z')]]);
  // Overdue: 2h limit passed on 1 December with the ticket still open.
  await ticket('2026-12-01T02:00:00Z', '2h');
  // Overdue: 24h limit (due 2 Dec 02:00Z), resolved a day late.
  await ticket('2026-12-01T02:00:00Z', '24h', [['resolved', hour('2026-12-03T02:00:00Z')]]);
  // Not overdue: resolved, or refused, in time.
  await ticket('2026-12-01T03:00:00Z', '24h', [['resolved', hour('2026-12-01T09:00:00Z')]]);
  await ticket('2026-12-02T03:00:00Z', '2h', [['rejected', hour('2026-12-02T04:00:00Z')]]);
}, 60_000);
afterAll(async () => {
  await close?.();
});

describe('overdue (逾期) in the current week and month', () => {
  it('counts only tickets whose deadline has passed unfinished', async () => {
    const month = await flowCounts(database.db, monthPeriod('2026-12-04', TZ), NOW);
    expect([month.becameOverdue, month.overdueOpenNow]).toEqual([2, 1]);
    // The week of 30 Nov – 6 Dec holds the same tickets.
    expect((await flowCounts(database.db, weekPeriod('2026-12-04', TZ), NOW)).becameOverdue).toBe(2);
    // Today: deadlines of today's tickets are all ahead.
    expect((await flowCounts(database.db, dayPeriod('2026-12-04', TZ), NOW)).becameOverdue).toBe(0);
    // A past day is judged as before: on 1 December the 2h ticket went overdue.
    expect((await flowCounts(database.db, dayPeriod('2026-12-01', TZ), NOW)).becameOverdue).toBe(1);
  });

  it('says so in the weekly summary, monthly analysis and daily bulletin', async () => {
    const figure = (r: { headline: { label: string; value: unknown }[] }, label: string) => r.headline.find((h) => h.label === label)?.value;
    expect(figure(await monthlyAnalysis(database.db, { date: '2026-12-01', timeZone: TZ, now: NOW }), '逾期件')).toBe(2);
    expect(figure(await weeklySummary(database.db, { date: '2026-11-30', timeZone: TZ, now: NOW }), '逾期件')).toBe(2);
    expect(figure(await dailyBulletin(database.db, { date: '2026-12-04', timeZone: TZ, now: NOW }), '当日到期未办结（逾期）')).toBe(0);
  });
});
