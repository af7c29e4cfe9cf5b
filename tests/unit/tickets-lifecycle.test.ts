// Every transition, allowed or forbidden, against a table written out here independently of the code.
import { describe, expect, it } from 'vitest';
import { STATUSES, checkTransition, eventKindFor, type Status } from '../../src/tickets/ticket-statuses.js';

const ALLOWED: Record<Status, Status[]> = {
  received: ['dispatched', 'rejected'],
  dispatched: ['dispatched', 'in_progress', 'resolved', 'returned', 'rejected'],
  in_progress: ['resolved', 'returned', 'rejected'],
  returned: ['dispatched', 'rejected'],
  resolved: ['visited', 'in_progress'],
  visited: [],
  rejected: [],
};

describe('ticket lifecycle', () => {
  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s', (from, to) => {
    const r = checkTransition(from, to, { unit: '新单位', currentUnit: '旧单位' });
    expect(r.ok).toBe(ALLOWED[from].includes(to));
    if (!r.ok) {
      expect(r.code).toBe('forbidden_transition');
      expect(r.reason).toMatch(new RegExp(`${from}.*${to}`));
    }
  });

  it('needs a unit to dispatch, and a different one to re-dispatch', () => {
    expect(checkTransition('received', 'dispatched', {})).toMatchObject({ ok: false, code: 'unit_required' });
    expect(checkTransition('returned', 'dispatched', {})).toMatchObject({ ok: false, code: 'unit_required' });
    expect(checkTransition('dispatched', 'dispatched', { unit: 'A', currentUnit: 'A' })).toMatchObject({ ok: false, code: 'same_unit' });
    expect(checkTransition('dispatched', 'dispatched', { unit: 'B', currentUnit: 'A' })).toEqual({ ok: true });
  });

  it('says when a ticket is closed', () => {
    expect(checkTransition('visited', 'in_progress')).toMatchObject({ ok: false, reason: expect.stringMatching(/closed/) });
  });

  it('names events by what happened', () => {
    expect(eventKindFor('resolved', 'in_progress')).toBe('reopened');
    expect(eventKindFor('dispatched', 'dispatched')).toBe('redispatched');
    expect(eventKindFor('received', 'dispatched')).toBe('dispatched');
  });
});
