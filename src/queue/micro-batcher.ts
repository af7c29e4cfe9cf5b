// Group commit for queue jobs. BullMQ hands a worker one job at a time, but a ticket costs a database
// transaction and a few round trips whoever asks for it; doing them for many jobs at once is what makes a
// small machine keep up with a busy day. Jobs that arrive while a batch is being written wait for the next
// one, so batches grow with the load and a lone job still goes at once (no timer, no added latency when idle).
// Each job still completes or fails on its own: the batch's outcome is settled per item.

export type Settled<R> = { ok: true; value: R } | { ok: false; error: Error };

export interface MicroBatcherOptions {
  /** The most items one flush gets; more wait for the next. */
  maxBatch: number;
  /** Flushes running at once: a second one can be built while the first waits on the database. */
  maxInFlight: number;
}

interface Waiting<T, R> {
  item: T;
  resolve(value: R): void;
  reject(error: Error): void;
}

export class MicroBatcher<T, R> {
  private readonly waiting: Waiting<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<Settled<R>[]>,
    private readonly opts: MicroBatcherOptions,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items not yet handed to a flush. */
  get pending(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.opts.maxInFlight) return;
    this.scheduled = true;
    // setImmediate, not a timer: every job that arrived in this turn of the event loop joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.run();
    });
  }

  private run(): void {
    while (this.waiting.length && this.inFlight < this.opts.maxInFlight) {
      const batch = this.waiting.splice(0, this.opts.maxBatch);
      this.inFlight++;
      this.flush(batch.map((w) => w.item))
        .then(
          (outcomes) => {
            batch.forEach((w, i) => {
              const o = outcomes[i];
              if (!o) w.reject(new Error('batch returned no outcome for this item'));
              else if (o.ok) w.resolve(o.value);
              else w.reject(o.error);
            });
          },
          (err: unknown) => {
            const error = err instanceof Error ? err : new Error(String(err));
            for (const w of batch) w.reject(error);
          },
        )
        .finally(() => {
          this.inFlight--;
          if (this.waiting.length) this.schedule();
        });
    }
  }
}
