import { describe, expect, it } from 'vitest';
import { cappedBackoff, DEFAULT_JOB_OPTIONS, workerOptions, CAPPED_BACKOFF } from '../../src/queue/queues.js';

describe('job retry policy', () => {
  it('backs off exponentially from 1 s and never waits more than 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(cappedBackoff)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
  it('keeps trying for about 20 minutes before a job is failed', () => {
    let total = 0;
    for (let a = 1; a < (DEFAULT_JOB_OPTIONS.attempts ?? 1); a++) total += cappedBackoff(a);
    expect(total / 60_000).toBeGreaterThan(19);
  });
  it('gives every worker the strategy the default job options name', () => {
    expect(DEFAULT_JOB_OPTIONS.backoff).toEqual({ type: CAPPED_BACKOFF });
    expect(workerOptions(30_000).settings.backoffStrategy(3, CAPPED_BACKOFF)).toBe(4000);
  });
});
