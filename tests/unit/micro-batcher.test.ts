// The ticket worker's group commit: jobs arriving while a batch is written go together in the next one, each
// settles on its own, and a lone job is not held back.
import { describe, expect, it } from 'vitest';
import { MicroBatcher, type Settled } from '../../src/queue/micro-batcher.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('MicroBatcher', () => {
  it('sends a lone item at once, and groups what arrives while a flush is in flight', async () => {
    const batches: number[][] = [];
    const first = gate();
    const b = new MicroBatcher<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await first.opened;
        return items.map((i) => ({ ok: true, value: i * 10 }));
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const a = b.add(1);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((i) => b.add(i));
    await new Promise((r) => setTimeout(r, 5));
    expect(batches).toHaveLength(1); // waiting for the first flush
    expect(b.pending).toBe(4);
    first.open();
    expect(await a).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('never puts more than maxBatch items in one flush, and runs up to maxInFlight flushes at once', async () => {
    const sizes: number[] = [];
    let running = 0;
    let most = 0;
    const b = new MicroBatcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return items.map((value) => ({ ok: true, value }));
      },
      { maxBatch: 3, maxInFlight: 2 },
    );
    const out = await Promise.all(Array.from({ length: 10 }, (_, i) => b.add(i)));
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...sizes)).toBe(3);
    expect(sizes.reduce((x, y) => x + y, 0)).toBe(10);
    expect(most).toBe(2);
  });

  it('settles each item on its own outcome, and rejects all of a flush that throws', async () => {
    let fail = false;
    const b = new MicroBatcher<number, number>(
      async (items): Promise<Settled<number>[]> => {
        if (fail) throw new Error('database down');
        return items.map((i) => (i % 2 ? { ok: false, error: new Error(`bad ${i}`) } : { ok: true, value: i }));
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const r = await Promise.allSettled([b.add(2), b.add(3)]);
    expect(r[0]).toEqual({ status: 'fulfilled', value: 2 });
    expect(r[1].status === 'rejected' && (r[1].reason as Error).message).toBe('bad 3');
    fail = true;
    const r2 = await Promise.allSettled([b.add(4), b.add(6)]);
    expect(r2.every((x) => x.status === 'rejected' && (x.reason as Error).message === 'database down')).toBe(true);
  });
});
