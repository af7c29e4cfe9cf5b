// Whether staff are at their desks (handoff replies say when someone will answer). "08:00-20:00" in the
// hotline's time zone, every day.
export function parseWorkingHours(spec: string): { start: number; end: number } {
  const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(spec.trim());
  if (!m) throw new Error(`working hours must look like 08:00-20:00, got ${spec}`);
  return { start: Number(m[1]) * 60 + Number(m[2]), end: Number(m[3]) * 60 + Number(m[4]) };
}

export function inWorkingHours(now: Date, spec: string, timeZone: string): boolean {
  const { start, end } = parseWorkingHours(spec);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(now);
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const min = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  const t = h * 60 + min;
  return start <= end ? t >= start && t < end : t >= start || t < end;
}
