// Offsets of the configured time zone (TZ_NAME, an IANA name), for code that turns wall-clock dates and times
// into instants: report periods, the time expressions citizens write, console date bounds.

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, f);
  }
  return f;
}

/** Milliseconds the zone is ahead of UTC at an instant. */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const p = formatFor(timeZone).formatToParts(at);
  const get = (t: string) => Number(p.find((x) => x.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a wall-clock time (as if it were UTC: `Date.UTC(y, m, d, h, min)`) names in the zone. */
export function instantOfWallTime(wallAsUtcMs: number, timeZone: string): Date {
  let guess = wallAsUtcMs - zoneOffsetMs(new Date(wallAsUtcMs), timeZone);
  guess = wallAsUtcMs - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** An offset as ISO 8601 writes it: +08:00, -05:00, +00:00. */
export function isoOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `${offsetMs < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
