/**
 * The rollup reads of one report, as ONE D1 batch: the period by hour, the previous period's totals,
 * the period by manager, both periods' histograms, and the open chats of now. Every read is a range of
 * the rollups' primary key (hour first); nothing touches chats or messages.
 */
import type { Db } from '../../data/db';
import { uniformDays, type ReportRange } from './range';

export interface ReportFilter {
  integrationId?: string;
  channel?: string;
  userId?: string;
}

/** The summed columns of report_rollups, as they come back from SQL. */
export interface Sums {
  newChats: number; reopened: number; closed: number; messagesIn: number; messagesOut: number; replies: number;
  frtCount: number; frtMs: number; frtBusinessCount: number; frtBusinessMs: number; resolutionCount: number; resolutionMs: number; waitCount: number; waitMs: number;
  csatCount: number; csatSum: number;
}
export const sumKeys = ['newChats', 'reopened', 'closed', 'messagesIn', 'messagesOut', 'replies', 'frtCount', 'frtMs', 'frtBusinessCount', 'frtBusinessMs', 'resolutionCount', 'resolutionMs', 'waitCount', 'waitMs', 'csatCount', 'csatSum'] as const;

const SUMS = `coalesce(sum(new_chats), 0) AS newChats, coalesce(sum(reopened), 0) AS reopened, coalesce(sum(closed), 0) AS closed,
  coalesce(sum(messages_in), 0) AS messagesIn, coalesce(sum(messages_out), 0) AS messagesOut, coalesce(sum(replies), 0) AS replies,
  coalesce(sum(frt_count), 0) AS frtCount, coalesce(sum(frt_ms), 0) AS frtMs,
  coalesce(sum(frt_business_count), 0) AS frtBusinessCount, coalesce(sum(frt_business_ms), 0) AS frtBusinessMs, coalesce(sum(resolution_count), 0) AS resolutionCount,
  coalesce(sum(resolution_ms), 0) AS resolutionMs, coalesce(sum(wait_count), 0) AS waitCount, coalesce(sum(wait_ms), 0) AS waitMs,
  coalesce(sum(csat_count), 0) AS csatCount, coalesce(sum(csat_sum), 0) AS csatSum`;

export interface HistogramRow { userKey: string; metric: string; bucket: number; n: number }

export interface ReportRows {
  /** By local day (`slot` = day index) when every day has 24 hours, else by hour (`slot` = hour). */
  bySlot: (Sums & { slot: number })[];
  slotIsDay: boolean;
  previous: Sums;
  byManager: (Sums & { userKey: string })[];
  histograms: HistogramRow[];
  previousHistograms: HistogramRow[];
  openNow: { userKey: string; n: number }[];
  staff: { id: string; name: string }[];
}

/** `AND …` for the filters, with its parameters (integration and channel narrow integrations; userId the manager). */
function filterSql(filter: ReportFilter, opts: { manager: boolean } = { manager: true }): [string, unknown[]] {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.integrationId) { parts.push('integration_id = ?'); params.push(filter.integrationId); }
  if (filter.channel) { parts.push('integration_id IN (SELECT id FROM integrations WHERE channel = ?)'); params.push(filter.channel); }
  if (opts.manager && filter.userId) { parts.push('user_key = ?'); params.push(filter.userId); }
  return [parts.map((p) => ` AND ${p}`).join(''), params];
}

/** Reads everything a report shows for `range` (and `previous`, compared with it) under `filter`. */
export async function readReport(db: Db, range: ReportRange, previous: ReportRange, filter: ReportFilter): Promise<ReportRows> {
  const d1 = db.$client;
  const [where, params] = filterSql(filter);
  const inRange = (r: ReportRange) => [r.fromHour, r.toHour, ...params];
  const q = (sql: string, binds: unknown[]) => d1.prepare(sql).bind(...binds);
  const slotIsDay = uniformDays(range);
  const results = await d1.batch([
    slotIsDay
      ? q(`SELECT (hour - CAST(? AS INTEGER)) / 24 AS slot, ${SUMS} FROM report_rollups WHERE hour >= ? AND hour < ?${where} GROUP BY 1 ORDER BY 1`, [range.fromHour, ...inRange(range)])
      : q(`SELECT hour AS slot, ${SUMS} FROM report_rollups WHERE hour >= ? AND hour < ?${where} GROUP BY hour ORDER BY hour`, inRange(range)),
    q(`SELECT ${SUMS} FROM report_rollups WHERE hour >= ? AND hour < ?${where}`, inRange(previous)),
    q(`SELECT user_key AS userKey, ${SUMS} FROM report_rollups WHERE hour >= ? AND hour < ?${where} GROUP BY user_key`, inRange(range)),
    q(`SELECT user_key AS userKey, metric, bucket, sum(n) AS n FROM report_histograms WHERE hour >= ? AND hour < ?${where} GROUP BY user_key, metric, bucket`, inRange(range)),
    q(`SELECT '' AS userKey, metric, bucket, sum(n) AS n FROM report_histograms WHERE hour >= ? AND hour < ?${where} GROUP BY metric, bucket`, inRange(previous)),
    q(`SELECT user_key AS userKey, sum(n) AS n FROM report_open_now WHERE 1${where} GROUP BY user_key`, params),
    q('SELECT id, name FROM users', []),
  ]);
  const rows = results.map((r) => r.results ?? []);
  return {
    bySlot: rows[0] as ReportRows['bySlot'],
    slotIsDay,
    previous: (rows[1][0] ?? {}) as Sums,
    byManager: rows[2] as ReportRows['byManager'],
    histograms: rows[3] as HistogramRow[],
    previousHistograms: rows[4] as HistogramRow[],
    openNow: rows[5] as ReportRows['openNow'],
    staff: rows[6] as ReportRows['staff'],
  };
}
