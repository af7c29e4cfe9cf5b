import { describe, expect, it } from 'vitest';
import { dayKey, formatTicketNumber, TICKET_NUMBER } from '../../src/tickets/numbering.js';
import { dueAt } from '../../src/tickets/time-limits.js';
import { jobIdFor } from '../../src/core/job-id.js';

describe('ticket numbers and time limits', () => {
  it('uses the intake day in the hotline time zone', () => {
    expect(dayKey(new Date('2026-11-27T16:30:00Z'), 'Asia/Shanghai')).toBe('20261128');
    expect(dayKey(new Date('2026-11-27T15:59:59Z'), 'Asia/Shanghai')).toBe('20261127');
  });
  it('formats like 20261128-000123', () => {
    expect(formatTicketNumber('20261128', 123)).toBe('20261128-000123');
    expect(TICKET_NUMBER.test('20261128-000123')).toBe(true);
    expect(TICKET_NUMBER.test('2026-1128')).toBe(false);
  });
  it('computes the due time from the tier', () => {
    const t = new Date('2026-11-28T00:00:00Z');
    expect(dueAt('2h', t).toISOString()).toBe('2026-11-28T02:00:00.000Z');
    expect(dueAt('24h', t).toISOString()).toBe('2026-11-29T00:00:00.000Z');
    expect(dueAt('7d', t).toISOString()).toBe('2026-12-05T00:00:00.000Z');
    expect(dueAt('15d', t).toISOString()).toBe('2026-12-13T00:00:00.000Z');
  });
});

describe('jobIdFor', () => {
  it('has no colon and keeps distinct keys distinct', () => {
    expect(jobIdFor('webchat:s/m')).not.toContain(':');
    expect(jobIdFor('a:b')).not.toBe(jobIdFor('a%3Ab'));
  });
});

describe('formatDue', () => {
  it('reads as citizens write dates, in the hotline time zone', async () => {
    const { formatDue } = await import('../../src/core/replies.js');
    expect(formatDue(new Date('2026-11-28T16:30:00Z'), 'zh', 'Asia/Shanghai')).toBe('11月29日 00:30');
    expect(formatDue(new Date('2026-11-28T16:30:00Z'), 'en', 'Asia/Shanghai')).toMatch(/29 Nov/);
  });
});
