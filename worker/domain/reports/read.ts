/**
 * The rollup reads of one report, as ONE D1 batch: the period's days, the previous period's totals, the
 * period by manager, both periods' histograms, and the open chats of now. Whole UTC days come from the
 * day tables (whole eight-day blocks for the histograms of a report over every bot), and only the units
 * between the range's cuts and the nearest boundary from the finer tables (day-cuts.ts). A report over
 * every bot reads the sums over integrations (grainsFor). Every read is a range of a primary key (block,
 * day or hour first); nothing touches chats or messages.
 */
import type { Db } from '../../data/db';
import { cutAt, DAYS_PER_BLOCK, HOURS_PER_DAY, mergedSpans, splitUnits, type Cut } from './day-cuts';
import type { ReportRange } from './range';

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
  /** The cuts at each local day's start and the range's end (range.dayStarts), in order. */
  cuts: Cut[];
  /** Sums per UTC day (`slot` = day) from the first cut's day to the last's. */
  days: (Sums & { slot: number })[];
  /** Sums per hour (`slot` = hour) of the cuts' spans. */
  hours: (Sums & { slot: number })[];
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

const COLUMNS = ['new_chats', 'reopened', 'closed', 'messages_in', 'messages_out', 'replies', 'frt_count', 'frt_ms', 'frt_business_count', 'frt_business_ms',
  'resolution_count', 'resolution_ms', 'wait_count', 'wait_ms', 'csat_count', 'csat_sum'];

/** Spans as one JSON parameter, joined to a finer table on its primary key's first column. */
const SPANS = "(SELECT json_extract(value, '$[0]') AS lo, json_extract(value, '$[1]') AS hi, json_extract(value, '$[2]') AS sign FROM json_each(?)) s";
const spansJson = (spans: { from: number; to: number; sign?: number }[]) => JSON.stringify(spans.map((x) => [x.from, x.to, x.sign ?? 1]));

/** One grain of a rollup: its table and the first column of its primary key (the unit it is kept by). */
interface Grain { table: string; unit: 'block' | 'day' | 'hour' }

/**
 * `SELECT user_key, <columns>` over [fromHour, toHour): the coarsest grain's whole units, then each finer
 * grain's signed spans (day-cuts.ts). `grains` go coarse to fine and end with hours; a block holds
 * DAYS_PER_BLOCK days, a day 24 hours.
 */
function signedUnion(range: Pick<ReportRange, 'fromHour' | 'toHour'>, where: string, params: unknown[], grains: Grain[], columns: string[], summed: string[]) {
  const byHour = splitUnits(range.fromHour, range.toHour, HOURS_PER_DAY);
  const byDay = grains[0].unit === 'block' ? splitUnits(byHour.unitFrom, byHour.unitTo, DAYS_PER_BLOCK) : null;
  const whole = byDay ? { from: byDay.unitFrom, to: byDay.unitTo } : { from: byHour.unitFrom, to: byHour.unitTo };
  const spansOf = (unit: Grain['unit']) => (unit === 'day' ? byDay!.spans : byHour.spans);
  const signed = columns.map((c) => (summed.includes(c) ? `${c} * s.sign AS ${c}` : c)).join(', ');
  const parts = [`SELECT user_key, ${columns.join(', ')} FROM ${grains[0].table} WHERE ${grains[0].unit} >= ? AND ${grains[0].unit} < ?${where}`];
  const binds: unknown[] = [whole.from, whole.to, ...params];
  for (const g of grains.slice(1)) {
    parts.push(`SELECT user_key, ${signed} FROM ${SPANS} JOIN ${g.table} r ON r.${g.unit} >= s.lo AND r.${g.unit} < s.hi WHERE 1${where}`);
    binds.push(spansJson(spansOf(g.unit)), ...params);
  }
  return { sql: parts.join('\n    UNION ALL\n    '), binds };
}

/**
 * The grains a report reads, coarse to fine. Over every bot (no bot or channel filter) the sums over
 * integrations: about as many rows per unit as managers, not managers × bots; with a bot or channel
 * filter, the tables that keep the integration.
 */
function grainsFor(filter: ReportFilter): { rollups: Grain[]; histograms: Grain[] } {
  if (filter.integrationId || filter.channel) {
    return {
      rollups: [{ table: 'report_rollup_days', unit: 'day' }, { table: 'report_rollups', unit: 'hour' }],
      histograms: [{ table: 'report_histogram_days', unit: 'day' }, { table: 'report_histograms', unit: 'hour' }],
    };
  }
  return {
    rollups: [{ table: 'report_rollup_user_days', unit: 'day' }, { table: 'report_rollup_user_hours', unit: 'hour' }],
    histograms: [{ table: 'report_histogram_blocks', unit: 'block' }, { table: 'report_histogram_user_days', unit: 'day' }, { table: 'report_histograms', unit: 'hour' }],
  };
}

/** Reads everything a report shows for `range` (and `previous`, compared with it) under `filter`. */
export async function readReport(db: Db, range: ReportRange, previous: ReportRange, filter: ReportFilter): Promise<ReportRows> {
  const d1 = db.$client;
  const [where, params] = filterSql(filter);
  const q = (sql: string, binds: unknown[]) => d1.prepare(sql).bind(...binds);
  const grains = grainsFor(filter);
  const sums = (r: ReportRange, byManager: boolean) => {
    const u = signedUnion(r, where, params, grains.rollups, COLUMNS, COLUMNS);
    return q(byManager ? `SELECT user_key AS userKey, ${SUMS} FROM (${u.sql}) GROUP BY user_key` : `SELECT ${SUMS} FROM (${u.sql})`, u.binds);
  };
  const hist = (r: ReportRange, userKey: string, group: string) => {
    const u = signedUnion(r, where, params, grains.histograms, ['metric', 'bucket', 'n'], ['n']);
    return q(`SELECT ${userKey} AS userKey, metric, bucket, sum(n) AS n FROM (${u.sql}) GROUP BY ${group} HAVING sum(n) <> 0`, u.binds);
  };
  const cuts = range.dayStarts.map((hour) => cutAt(hour));
  const results = await d1.batch([
    q(`SELECT day AS slot, ${SUMS} FROM ${grains.rollups[0].table} WHERE day >= ? AND day < ?${where} GROUP BY day`, [cuts[0].unit, cuts[cuts.length - 1].unit, ...params]),
    q(`SELECT r.hour AS slot, ${SUMS} FROM ${SPANS} JOIN ${grains.rollups[1].table} r ON r.hour >= s.lo AND r.hour < s.hi WHERE 1${where} GROUP BY r.hour`, [spansJson(mergedSpans(cuts)), ...params]),
    sums(previous, false),
    sums(range, true),
    hist(range, 'user_key', 'user_key, metric, bucket'),
    hist(previous, "''", 'metric, bucket'),
    q(`SELECT user_key AS userKey, sum(n) AS n FROM report_open_now WHERE 1${where} GROUP BY user_key`, params),
    q('SELECT id, name FROM users', []),
  ]);
  const rows = results.map((r) => r.results ?? []);
  return {
    cuts,
    days: rows[0] as ReportRows['days'],
    hours: rows[1] as ReportRows['hours'],
    previous: (rows[2][0] ?? {}) as Sums,
    byManager: rows[3] as ReportRows['byManager'],
    histograms: rows[4] as HistogramRow[],
    previousHistograms: rows[5] as HistogramRow[],
    openNow: rows[6] as ReportRows['openNow'],
    staff: rows[7] as ReportRows['staff'],
  };
}
