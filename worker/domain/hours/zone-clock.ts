/**
 * A time zone's offset from UTC at an instant, from the runtime's Intl (the IANA database workerd ships),
 * and the instants where it changes. Everything else in hours/ works on "local epoch" milliseconds:
 * instant + offset, which reads as UTC shows the wall clock.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 200;

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Milliseconds to add to `instant` to get the wall clock of `zone` (−03:00 → −10 800 000). */
export function zoneOffset(zone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

const DAY = 86_400_000;

/** A stretch of time over which the zone's offset does not change. */
export interface OffsetPiece {
  from: number;
  to: number;
  offset: number;
}

/**
 * [from, to) cut where the zone's offset changes. Offsets are sampled a day apart (no zone changes twice
 * within a day) and each change is found to the millisecond by bisection.
 */
export function offsetPieces(zone: string, from: number, to: number): OffsetPiece[] {
  const pieces: OffsetPiece[] = [];
  let start = from;
  let offset = zoneOffset(zone, from);
  for (let probe = from; probe < to; ) {
    const next = Math.min(probe + DAY, to);
    const nextOffset = zoneOffset(zone, next);
    if (nextOffset !== offset) {
      // The first instant with the new offset lies in (probe, next].
      let lo = probe;
      let hi = next;
      while (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (zoneOffset(zone, mid) === offset) lo = mid;
        else hi = mid;
      }
      pieces.push({ from: start, to: hi, offset });
      start = hi;
      offset = zoneOffset(zone, hi);
    }
    probe = next;
  }
  pieces.push({ from: start, to, offset });
  return pieces;
}
