/**
 * The viewer's calendar in UTC milliseconds, from the IANA zone the browser reports. Rollups are kept
 * per UTC hour, so a viewer's day is the run of hours from their local midnight to the next: exact in
 * every whole-hour zone, DST days (23 or 25 hours) included. In a zone with a 30- or 45-minute offset
 * (India, Nepal, parts of Australia) a day's edges are rounded to the hour before: up to 45 minutes of
 * activity near midnight lands in the neighbouring day. That is the one approximation of the reports.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

/** Whether the runtime knows this IANA zone. */
export function isKnownZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

function parts(ms: number, tz: string) {
  const out: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** The zone's offset from UTC at `ms`, in ms (positive east of Greenwich). */
export function zoneOffset(ms: number, tz: string): number {
  const p = parts(ms, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/** The local date (YYYY-MM-DD) at `ms` in `tz`. */
export function localDate(ms: number, tz: string): string {
  const p = parts(ms, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The UTC instant of local midnight starting `date` (YYYY-MM-DD) in `tz`. */
export function zonedMidnight(date: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  // Two passes settle the offset across a DST change; a midnight that does not exist (a zone that
  // springs forward at 00:00) becomes the first instant of that day.
  let t = wall - zoneOffset(wall, tz);
  t = wall - zoneOffset(t, tz);
  return localDate(t, tz) === date ? t : t + 3_600_000;
}

/** `date` plus `days` calendar days (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole calendar days from `a` to `b` (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
