// A minute-long cache for report results: a report over a month of tickets takes up to a second, and an
// operator flipping between tabs (or several operators on the same bulletin) should not recompute it.
// Concurrent requests for the same key share one computation.
export class ReportCache {
  private readonly map = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly max = 200,
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.map.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = compute();
    this.map.set(key, { at: now, value });
    // A failed computation is not cached.
    value.catch(() => this.map.delete(key));
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return value;
  }
}
