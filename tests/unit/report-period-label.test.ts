// A report on a period that is still running says how far it goes (截至 HH:MM, local time); a finished one does not.
import { describe, expect, it } from 'vitest';
import { dayPeriod, labelAsOf, monthPeriod } from '../../src/reports/period.js';

const TZ = 'Asia/Shanghai';

describe('labelAsOf', () => {
  it('marks today as running up to now, in the hotline time zone', () => {
    expect(labelAsOf(dayPeriod('2026-12-04', TZ), new Date('2026-12-04T06:30:00Z'), TZ)).toBe('2026年12月4日，截至14:30');
  });
  it('leaves a finished or future period alone', () => {
    expect(labelAsOf(dayPeriod('2026-12-03', TZ), new Date('2026-12-04T06:30:00Z'), TZ)).toBe('2026年12月3日');
    expect(labelAsOf(dayPeriod('2026-12-05', TZ), new Date('2026-12-04T06:30:00Z'), TZ)).toBe('2026年12月5日');
  });
  it('marks the running month too', () => {
    expect(labelAsOf(monthPeriod('2026-12-01', TZ), new Date('2026-12-04T15:59:00Z'), TZ)).toBe('2026年12月，截至23:59');
  });
});
