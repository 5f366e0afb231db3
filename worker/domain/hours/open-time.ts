/**
 * When an integration is open. A local date is open during its weekday's ranges, plus the part after
 * midnight of the previous weekday's ranges that run past midnight. A holiday closes its whole local
 * date, and a range that starts on a holiday does not run into the next morning either (no shift starts
 * on it). Wall-clock ranges are read on the wall clock, so across a
 * daylight-saving change a 09:00–18:00 day is 9 or 10 real hours long only if the jump falls inside it.
 */
import type { BusinessHours, HoursRange } from '../../shared/business-hours';
import { weekdays } from '../../shared/business-hours';
import { offsetPieces, zoneOffset } from './zone-clock';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** What the open-time functions need of a schedule (the out-of-office text is not one of them). */
export type Schedule = Pick<BusinessHours, 'timeZone' | 'weekly' | 'holidays'>;

const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const overnight = (r: HoursRange) => r.to !== '24:00' && minutes(r.to) < minutes(r.from);

/** The open stretches of one local date (days since 1970-01-01), as ms after its local midnight, merged. */
export function openWallIntervals(schedule: Schedule, localDay: number): [number, number][] {
  if (isHoliday(schedule, localDay)) return [];
  const weekday = (localDay % 7 + 11) % 7; // 1970-01-01 was a Thursday (4)
  const today = schedule.weekly[weekdays[weekday]] ?? [];
  const yesterday = schedule.weekly[weekdays[(weekday + 6) % 7]] ?? [];
  const spans: [number, number][] = [];
  for (const r of today) spans.push([minutes(r.from) * MINUTE, overnight(r) ? DAY : minutes(r.to) * MINUTE]);
  if (!isHoliday(schedule, localDay - 1)) for (const r of yesterday) if (overnight(r) && minutes(r.to) > 0) spans.push([0, minutes(r.to) * MINUTE]);
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

function isHoliday(schedule: Schedule, localDay: number): boolean {
  return schedule.holidays.length > 0 && schedule.holidays.includes(new Date(localDay * DAY).toISOString().slice(0, 10));
}

/** Whether the integration is open at `instant` (epoch ms). */
export function isOpenAt(schedule: Schedule, instant: number): boolean {
  const local = instant + zoneOffset(schedule.timeZone, instant);
  const day = Math.floor(local / DAY);
  const wall = local - day * DAY;
  return openWallIntervals(schedule, day).some(([a, b]) => wall >= a && wall < b);
}

/**
 * Milliseconds of [from, to) during which the integration is open: the clock a first-response time in
 * business hours runs on. Exact across daylight-saving changes (an hour that never happened is not
 * counted, a repeated one is counted twice if open both times). 0 when `to` ≤ `from`.
 */
export function businessMillisBetween(schedule: Schedule, from: number, to: number): number {
  if (!(to > from)) return 0;
  // Each day of the span costs an offset lookup: an endless span is a caller's bug, not a long wait.
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError('businessMillisBetween needs finite instants');
  let total = 0;
  // Within a piece of constant offset, local time is instant + offset: intersect it with each local day's open stretches.
  for (const piece of offsetPieces(schedule.timeZone, from, to)) {
    const localFrom = piece.from + piece.offset;
    const localTo = piece.to + piece.offset;
    for (let day = Math.floor(localFrom / DAY); day * DAY < localTo; day++) {
      for (const [a, b] of openWallIntervals(schedule, day)) {
        const start = Math.max(localFrom, day * DAY + a);
        const end = Math.min(localTo, day * DAY + b);
        if (end > start) total += end - start;
      }
    }
  }
  return total;
}
