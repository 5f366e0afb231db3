/**
 * A run of hours read as whole UTC days (report_rollup_days) and the few hours between its ends and the
 * nearest UTC midnight (report_rollups). A cut at hour t is "the days before d, plus (or minus) the hours
 * between d's midnight and t": sums over [a, b) are cut(b) − cut(a). Going to the NEAREST midnight keeps
 * every cut to 12 hours or fewer, so a 90-day report in São Paulo reads 3 hours per day, not 24.
 */

/** Hours [from, to), counted with `sign`. */
export interface HourSpan { from: number; to: number; sign: 1 | -1 }

/** A cut at hour `at`: the whole days before `day`, and `span` added or taken off (null at a midnight). */
export interface Cut { at: number; day: number; span: HourSpan | null }

export function cutAt(at: number): Cut {
  const r = ((at % 24) + 24) % 24;
  if (r === 0) return { at, day: at / 24, span: null };
  const below = Math.floor(at / 24);
  // Half a day or less past midnight: that midnight plus the hours since; else the next midnight minus the hours to it.
  return r <= 12
    ? { at, day: below, span: { from: below * 24, to: at, sign: 1 } }
    : { at, day: below + 1, span: { from: at, to: (below + 1) * 24, sign: -1 } };
}

/** [from, to) as whole days [dayFrom, dayTo) and signed hour spans (what cut(to) − cut(from) reads). */
export function splitHours(from: number, to: number): { dayFrom: number; dayTo: number; spans: HourSpan[] } {
  const a = cutAt(from);
  const b = cutAt(to);
  const spans: HourSpan[] = [];
  if (b.span) spans.push(b.span);
  if (a.span) spans.push({ ...a.span, sign: a.span.sign === 1 ? -1 : 1 });
  return { dayFrom: a.day, dayTo: b.day, spans };
}

/** The spans of `cuts` merged where they touch or overlap, so a join over them meets each hour once. */
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
