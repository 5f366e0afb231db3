/**
 * A run of hours read from the coarsest rollups that fit it: whole UTC days (report_rollup_days) or
 * eight-day blocks (report_histogram_blocks), and only the units between its ends and the nearest
 * boundary from the finer table. A cut at t is "the units before the boundary b, plus (or minus) what
 * lies between b and t": sums over [a, b) are cut(b) − cut(a). Going to the NEAREST boundary keeps each
 * cut to half a unit or less, so a 90-day report in São Paulo reads 3 hours per day, not 24.
 */

export const HOURS_PER_DAY = 24;
export const DAYS_PER_BLOCK = 8;

/** Fine units [from, to), counted with `sign`. */
export interface Span { from: number; to: number; sign: 1 | -1 }

/** A cut at `at` (in fine units): the whole coarse units before `unit`, and `span` added or taken off (null on a boundary). */
export interface Cut { at: number; unit: number; span: Span | null }

export function cutAt(at: number, size = HOURS_PER_DAY): Cut {
  const r = ((at % size) + size) % size;
  if (r === 0) return { at, unit: at / size, span: null };
  const below = Math.floor(at / size);
  // Half a unit or less past a boundary: that boundary plus what follows it; else the next one minus what precedes it.
  return r <= size / 2
    ? { at, unit: below, span: { from: below * size, to: at, sign: 1 } }
    : { at, unit: below + 1, span: { from: at, to: (below + 1) * size, sign: -1 } };
}

/** [from, to) in fine units as whole coarse units [unitFrom, unitTo) and signed fine spans (cut(to) − cut(from)). */
export function splitUnits(from: number, to: number, size = HOURS_PER_DAY): { unitFrom: number; unitTo: number; spans: Span[] } {
  const a = cutAt(from, size);
  const b = cutAt(to, size);
  const spans: Span[] = [];
  if (b.span) spans.push(b.span);
  if (a.span) spans.push({ ...a.span, sign: a.span.sign === 1 ? -1 : 1 });
  return { unitFrom: a.unit, unitTo: b.unit, spans };
}

/** The spans of `cuts` merged where they touch or overlap, so a join over them meets each unit once. */
export function mergedSpans(cuts: Cut[]): { from: number; to: number }[] {
  const spans = cuts.flatMap((c) => (c.span ? [{ from: c.span.from, to: c.span.to }] : [])).sort((x, y) => x.from - y.from);
  const out: { from: number; to: number }[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}
