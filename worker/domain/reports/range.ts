/** A report's period in the viewer's calendar, turned into the UTC hours the rollups are kept in. */
import { badRequest } from '../../shared/errors';
import { addDays, daysBetween, isKnownZone, localDate, zonedMidnight } from './zone';

export const MAX_RANGE_DAYS = 366;
const HOUR = 3_600_000;

export interface ReportRange {
  tz: string;
  /** First and last local day (inclusive), YYYY-MM-DD. */
  from: string;
  to: string;
  days: string[];
  /** Hours [fromHour, toHour) since the epoch. */
  fromHour: number;
  toHour: number;
  /** Where each local day starts, in hours: dayStarts[i] is day i's first hour; the last entry is toHour. */
  dayStarts: number[];
}

/** A YYYY-MM-DD date, or an ISO instant (taken as the local date it falls on; `to` as an exclusive end). */
function asDate(value: string, tz: string, end: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const ms = Date.parse(value);
  return localDate(end ? ms - 1 : ms, tz);
}

/** The range `from`..`to` (inclusive local days) in `tz`; 400 when it is reversed or longer than 366 days. */
export function resolveRange(input: { from: string; to: string; tz?: string }): ReportRange {
  const tz = input.tz ?? 'UTC';
  if (!isKnownZone(tz)) throw badRequest('invalid_time_zone', `Unknown time zone: ${tz}`);
  const from = asDate(input.from, tz, false);
  const to = asDate(input.to, tz, true);
  const count = daysBetween(from, to) + 1;
  if (count < 1) throw badRequest('invalid_range', '`to` is before `from`');
  if (count > MAX_RANGE_DAYS) throw badRequest('range_too_long', `A report covers at most ${MAX_RANGE_DAYS} days`);
  return rangeOf(from, count, tz);
}

function rangeOf(from: string, count: number, tz: string): ReportRange {
  const days = Array.from({ length: count }, (_, i) => addDays(from, i));
  // Rounded down to the hour: exact in whole-hour zones (zone.ts says what happens in the others).
  const start = (d: string) => Math.floor(zonedMidnight(d, tz) / HOUR);
  const dayStarts: number[] = new Array(count + 1);
  // Intl is slow and offsets change at most twice a year: ask it every 7th day, and for each day of a
  // week only when the week's two ends disagree (two changes within a week do not happen).
  for (let i = 0; i <= count; i += 7) {
    const j = Math.min(i + 7, count);
    dayStarts[i] = start(addDays(from, i));
    dayStarts[j] = start(addDays(from, j));
    const uniform = dayStarts[j] - dayStarts[i] === (j - i) * 24;
    for (let k = i + 1; k < j; k++) dayStarts[k] = uniform ? dayStarts[i] + (k - i) * 24 : start(addDays(from, k));
  }
  return { tz, from, to: days[days.length - 1], days, fromHour: dayStarts[0], toHour: dayStarts[count], dayStarts };
}

/** The period of the same length just before `range`: what the headline figures are compared with. */
export function previousRange(range: ReportRange): ReportRange {
  return rangeOf(addDays(range.from, -range.days.length), range.days.length, range.tz);
}
