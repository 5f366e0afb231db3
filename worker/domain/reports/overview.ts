/**
 * A report: the headline figures of a period and of the one before it, the figures day by day in the
 * viewer's calendar, and one row per manager. Every metric is defined in README.md ("Reports") and
 * here, next to test/unit/domain/reports-metrics.test.ts, which checks each on hand-built conversations.
 */
import type { Db } from '../../data/db';
import { quantile } from './buckets';
import { previousRange, resolveRange, type ReportRange } from './range';
import { readReport, sumKeys, type HistogramRow, type ReportFilter, type ReportRows, type Sums } from './read';

export type { ReportFilter } from './read';

/** A duration metric: how many, their mean, and the median / 90th percentile from the histogram. */
export interface Duration { count: number; avgMs: number | null; p50Ms: number | null; p90Ms: number | null }

export interface Figures {
  /** Chats created, counted under the manager the queue (or a person) first gave them to. */
  newChats: number;
  /** Closed chats opened again (by the client writing or by hand), under the manager they went to. */
  reopened: number;
  /** Chats closed, under the manager who had them. */
  closed: number;
  /** Client messages, under the chat's manager at the time. */
  messagesIn: number;
  /** Outgoing messages: managers' replies (under their author) and the bot's greeting / auto-reply (under the chat's manager). */
  messagesOut: number;
  /** Messages written by a manager, under their author. */
  replies: number;
  /** Client's first message of a conversation → the first manager reply in it, under the replier. */
  firstResponse: Duration;
  /**
   * The same first responses timed in the integration's business hours (only the time it was open counts);
   * equal to firstResponse for an integration without business hours.
   */
  firstResponseBusiness: Duration;
  /** A conversation's open (new or reopened) → its close, under the manager who closed it. */
  resolution: Duration;
  /** An open chat without a manager → a manager getting it, under that manager (a wait ended by closing is not counted). */
  unassignedWait: Duration;
  /** CSAT answers (1–5) given in the period, under the manager rated: how many and their average. */
  csat: { count: number; average: number | null };
}

export interface ManagerRow extends Omit<Figures, 'messagesOut'> {
  userId: string | null;
  name: string | null;
  /** Open chats they have now (not limited to the period). */
  openNow: number;
}

export interface Overview {
  range: { from: string; to: string; tz: string; previousFrom: string; previousTo: string };
  figures: Figures & { openNow: number };
  previous: Figures;
  series: { days: string[] } & Record<'newChats' | 'reopened' | 'closed' | 'messagesIn' | 'messagesOut' | 'replies', number[]>
    & Record<'firstResponseAvgMs' | 'firstResponseBusinessAvgMs' | 'resolutionAvgMs' | 'unassignedWaitAvgMs', (number | null)[]>;
  managers: ManagerRow[];
}

const zero = (): Sums => Object.fromEntries(sumKeys.map((k) => [k, 0])) as unknown as Sums;
const avg = (sum: number, n: number) => (n > 0 ? Math.round(sum / n) : null);

function duration(count: number, sumMs: number, histogram: Map<number, number> | undefined): Duration {
  const h = histogram ?? new Map<number, number>();
  return { count, avgMs: avg(sumMs, count), p50Ms: quantile(h, 0.5), p90Ms: quantile(h, 0.9) };
}

/** Histograms by manager ('' = all of them) and metric: bucket → count. */
function histogramsOf(rows: HistogramRow[]) {
  const out = new Map<string, Map<number, number>>();
  const add = (key: string, r: HistogramRow) => {
    let h = out.get(key);
    if (!h) out.set(key, (h = new Map()));
    h.set(r.bucket, (h.get(r.bucket) ?? 0) + Number(r.n));
  };
  for (const r of rows) {
    add(`*|${r.metric}`, r);
    add(`${r.userKey}|${r.metric}`, r);
  }
  return (userKey: string | '*', metric: string) => out.get(`${userKey}|${metric}`);
}

function figuresOf(s: Sums, hist: (metric: string) => Map<number, number> | undefined): Figures {
  return {
    newChats: s.newChats, reopened: s.reopened, closed: s.closed, messagesIn: s.messagesIn, messagesOut: s.messagesOut, replies: s.replies,
    firstResponse: duration(s.frtCount, s.frtMs, hist('frt')),
    firstResponseBusiness: duration(s.frtBusinessCount, s.frtBusinessMs, hist('frt_business')),
    resolution: duration(s.resolutionCount, s.resolutionMs, hist('resolution')),
    unassignedWait: duration(s.waitCount, s.waitMs, hist('wait')),
    csat: { count: s.csatCount, average: s.csatCount > 0 ? Math.round((s.csatSum / s.csatCount) * 100) / 100 : null },
  };
}

/** The report for local days `from`..`to` in `tz` (at most 366), narrowed by `filter`. */
export async function reportOverview(db: Db, query: { from: string; to: string; tz?: string } & ReportFilter): Promise<Overview> {
  const range = resolveRange(query);
  const previous = previousRange(range);
  const filter: ReportFilter = { integrationId: query.integrationId, channel: query.channel, userId: query.userId };
  const rows = await readReport(db, range, previous, filter);

  const perDay = perDaySums(rows);
  const total = zero();
  for (const d of perDay) add(total, d, 1);
  const current = histogramsOf(rows.histograms);
  const before = histogramsOf(rows.previousHistograms);
  const names = new Map(rows.staff.map((u) => [u.id, u.name]));
  const openNow = new Map(rows.openNow.map((r) => [r.userKey, Number(r.n)]));

  const managers = new Map<string, ManagerRow>();
  for (const r of rows.byManager) {
    const f = figuresOf(numbers(r), (m) => current(r.userKey, m));
    const { messagesOut: _o, ...rest } = f;
    managers.set(r.userKey, { userId: r.userKey || null, name: names.get(r.userKey) ?? null, ...rest, openNow: openNow.get(r.userKey) ?? 0 });
  }
  for (const [userKey, n] of openNow) {
    if (managers.has(userKey) || n === 0) continue;
    const f = figuresOf(zero(), () => undefined);
    const { messagesOut: _o, ...rest } = f;
    managers.set(userKey, { userId: userKey || null, name: names.get(userKey) ?? null, ...rest, openNow: n });
  }

  return {
    range: { from: range.from, to: range.to, tz: range.tz, previousFrom: previous.from, previousTo: previous.to },
    figures: { ...figuresOf(total, (m) => current('*', m)), openNow: [...openNow.values()].reduce((a, b) => a + b, 0) },
    previous: figuresOf(numbers(rows.previous), (m) => before('*', m)),
    series: seriesOf(range, perDay),
    // Managers by name, the unassigned row ("no manager") last.
    managers: [...managers.values()].sort((a, b) => (a.userId === null ? 1 : b.userId === null ? -1 : (a.name ?? '').localeCompare(b.name ?? ''))),
  };
}

function numbers<T extends Sums>(r: T): Sums {
  const out = zero();
  for (const k of sumKeys) out[k] = Number(r[k] ?? 0);
  return out;
}

const add = (into: Sums, from: Sums, sign: number) => { for (const k of sumKeys) into[k] += sign * from[k]; };

/**
 * Each local day's sums as cut(its end) − cut(its start), where a cut is the whole UTC days before it
 * plus or minus the hours between it and that midnight (day-cuts.ts).
 */
function perDaySums(rows: Pick<ReportRows, 'cuts' | 'days' | 'hours'>): Sums[] {
  const days = new Map(rows.days.map((r) => [Number(r.slot), numbers(r)]));
  const hours = new Map(rows.hours.map((r) => [Number(r.slot), numbers(r)]));
  const running = zero();
  let day = rows.cuts[0].unit;
  const atCuts = rows.cuts.map((cut) => {
    for (; day < cut.unit; day++) { const d = days.get(day); if (d) add(running, d, 1); }
    const value = { ...running };
    if (cut.span) for (let h = cut.span.from; h < cut.span.to; h++) { const x = hours.get(h); if (x) add(value, x, cut.span.sign); }
    return value;
  });
  return atCuts.slice(1).map((end, i) => { const d = { ...end }; add(d, atCuts[i], -1); return d; });
}

function seriesOf(range: ReportRange, perDay: Sums[]): Overview['series'] {
  const col = (k: keyof Sums) => perDay.map((d) => d[k]);
  return {
    days: range.days,
    newChats: col('newChats'), reopened: col('reopened'), closed: col('closed'), messagesIn: col('messagesIn'), messagesOut: col('messagesOut'), replies: col('replies'),
    firstResponseAvgMs: perDay.map((d) => avg(d.frtMs, d.frtCount)),
    firstResponseBusinessAvgMs: perDay.map((d) => avg(d.frtBusinessMs, d.frtBusinessCount)),
    resolutionAvgMs: perDay.map((d) => avg(d.resolutionMs, d.resolutionCount)),
    unassignedWaitAvgMs: perDay.map((d) => avg(d.waitMs, d.waitCount)),
  };
}
