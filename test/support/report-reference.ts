/**
 * The report metrics computed a second way, in plain TypeScript from the stored rows (chats, chat_events,
 * messages), independent of the SQL triggers that keep report_rollups: the consistency test compares the
 * two. It follows README.md's definitions, replaying each chat's events and messages in time order.
 */
import { env } from 'cloudflare:workers';
import { businessMillisBetween, scheduleFromColumn } from '../../worker/domain/hours';
import { bucketOf } from '../../worker/domain/reports';
import { directionCodes, originCodes } from '../../worker/data/schema';

export type RollupKey = string; // `${hour}|${integrationId}|${userKey}`
export interface Reference { rollups: Map<RollupKey, Record<string, number>>; histograms: Map<string, number> }

interface Item { kind: string; chatId: string; integrationId: string; userKey: string; at: number; rank: number; id: string }
interface State { userKey: string; openedAt: number | null; firstInAt: number | null; replied: boolean; unassignedSince: number | null; newPending: boolean }

const HOUR = 3_600_000;

/** The metrics of `integrationId` computed from its raw rows. */
export async function referenceRollups(integrationId: string): Promise<Reference> {
  // Business time from the open-time calendar directly (not the reports' own helper); no hours = raw.
  const hours = await env.DB.prepare('SELECT business_hours AS h FROM integrations WHERE id = ?').bind(integrationId).first<string | null>('h');
  const schedule = scheduleFromColumn(hours);
  const business = (from: number, to: number) => (schedule ? businessMillisBetween(schedule, from, to) : Math.max(0, to - from));
  const events = (await env.DB.prepare(`SELECT e.id, e.chat_id AS chatId, e.type, e.data, e.created_at AS at FROM chat_events e JOIN chats c ON c.id = e.chat_id
    WHERE c.integration_id = ? AND e.type IN ('opened', 'reopened', 'closed', 'assigned', 'unassigned', 'reassigned')`).bind(integrationId).all<{ id: string; chatId: string; type: string; data: string; at: number }>()).results;
  const messages = (await env.DB.prepare(`SELECT m.id, m.chat_id AS chatId, m.direction, m.origin, m.author_id AS authorId, m.created_at AS at FROM messages m JOIN chats c ON c.id = m.chat_id
    WHERE c.integration_id = ?`).bind(integrationId).all<{ id: string; chatId: string; direction: string; origin: string; authorId: string | null; at: number }>()).results;
  const items: Item[] = [
    ...events.map((e) => ({
      kind: e.type === 'unassigned' || e.type === 'reassigned' ? 'assigned' : e.type, chatId: e.chatId, integrationId, at: e.at, id: e.id,
      userKey: e.type === 'unassigned' ? '' : ((JSON.parse(e.data) as { responsibleId?: string | null }).responsibleId ?? ''),
      rank: ({ opened: 0, reopened: 1, closed: 5 } as Record<string, number>)[e.type] ?? 2,
    })),
    ...messages.map((m) => ({
      kind: m.direction === directionCodes.in ? 'in' : m.origin === originCodes.agent ? 'reply' : 'out', chatId: m.chatId, integrationId, at: m.at, id: m.id,
      userKey: m.authorId ?? '', rank: m.direction === directionCodes.in ? 3 : 4,
    })),
  ].sort((a, b) => a.at - b.at || a.chatId.localeCompare(b.chatId) || a.rank - b.rank || a.id.localeCompare(b.id));

  const rollups = new Map<RollupKey, Record<string, number>>();
  const histograms = new Map<string, number>();
  const add = (at: number, userKey: string, values: Record<string, number>) => {
    const key = `${Math.floor(at / HOUR)}|${integrationId}|${userKey}`;
    const row = rollups.get(key) ?? {};
    for (const [k, v] of Object.entries(values)) row[k] = (row[k] ?? 0) + v;
    rollups.set(key, row);
  };
  const duration = (at: number, userKey: string, metric: string, ms: number) => {
    const key = `${Math.floor(at / HOUR)}|${integrationId}|${userKey}|${metric}|${bucketOf(Math.max(0, ms))}`;
    histograms.set(key, (histograms.get(key) ?? 0) + 1);
  };
  const states = new Map<string, State>();
  for (const it of items) {
    const s = states.get(it.chatId);
    switch (it.kind) {
      case 'opened':
        states.set(it.chatId, { userKey: '', openedAt: it.at, firstInAt: null, replied: false, unassignedSince: null, newPending: true });
        break;
      case 'reopened':
        add(it.at, it.userKey, { reopened: 1 });
        states.set(it.chatId, { userKey: it.userKey, openedAt: it.at, firstInAt: null, replied: false, unassignedSince: it.userKey === '' ? it.at : null, newPending: false });
        break;
      case 'assigned':
        if (!s) break;
        if (s.newPending && s.openedAt !== null) add(s.openedAt, it.userKey, { newChats: 1 });
        if (it.userKey !== '' && s.openedAt !== null && s.unassignedSince !== null) {
          add(it.at, it.userKey, { waitCount: 1, waitMs: Math.max(0, it.at - s.unassignedSince) });
          duration(it.at, it.userKey, 'wait', it.at - s.unassignedSince);
        }
        s.unassignedSince = s.openedAt === null || it.userKey !== '' ? null : (s.unassignedSince ?? it.at);
        s.newPending = false;
        s.userKey = it.userKey;
        break;
      case 'closed': {
        if (s?.newPending && s.openedAt !== null) add(s.openedAt, '', { newChats: 1 });
        const open = s?.openedAt ?? null;
        add(it.at, s ? s.userKey : it.userKey, { closed: 1, resolutionCount: open === null ? 0 : 1, resolutionMs: open === null ? 0 : Math.max(0, it.at - open) });
        if (s && open !== null) duration(it.at, s.userKey, 'resolution', it.at - open);
        if (s) Object.assign(s, { openedAt: null, firstInAt: null, replied: false, unassignedSince: null, newPending: false });
        break;
      }
      default: {
        const userKey = it.kind === 'reply' ? it.userKey : (s?.userKey ?? '');
        add(it.at, userKey, { messagesIn: it.kind === 'in' ? 1 : 0, messagesOut: it.kind === 'in' ? 0 : 1, replies: it.kind === 'reply' ? 1 : 0 });
        if (!s || s.openedAt === null) break;
        if (it.kind === 'in' && s.firstInAt === null) s.firstInAt = it.at;
        if (it.kind === 'reply' && s.firstInAt !== null && !s.replied) {
          const inHours = business(s.firstInAt, it.at);
          add(it.at, it.userKey, { frtCount: 1, frtMs: Math.max(0, it.at - s.firstInAt), frtBusinessCount: 1, frtBusinessMs: inHours });
          duration(it.at, it.userKey, 'frt', it.at - s.firstInAt);
          duration(it.at, it.userKey, 'frt_business', inHours);
          s.replied = true;
        }
      }
    }
  }
  return { rollups, histograms };
}

const columns = ['new_chats', 'reopened', 'closed', 'messages_in', 'messages_out', 'replies', 'frt_count', 'frt_ms', 'frt_business_count', 'frt_business_ms', 'resolution_count', 'resolution_ms', 'wait_count', 'wait_ms'];
const camel = (c: string) => c.replace(/_(\w)/g, (_, x: string) => x.toUpperCase());

/** What the triggers kept for `integrationId`, in the reference's shape (zero values left out). */
export async function keptRollups(integrationId: string): Promise<Reference> {
  const rows = (await env.DB.prepare(`SELECT hour, integration_id, user_key, ${columns.join(', ')} FROM report_rollups WHERE integration_id = ?`).bind(integrationId).all<Record<string, number | string>>()).results;
  const rollups = new Map<RollupKey, Record<string, number>>();
  for (const r of rows) {
    const values = Object.fromEntries(columns.filter((c) => Number(r[c]) !== 0).map((c) => [camel(c), Number(r[c])]));
    if (Object.keys(values).length) rollups.set(`${r.hour}|${r.integration_id}|${r.user_key}`, values);
  }
  const hist = (await env.DB.prepare('SELECT hour, integration_id, user_key, metric, bucket, n FROM report_histograms WHERE integration_id = ? AND n <> 0').bind(integrationId).all<Record<string, number | string>>()).results;
  return { rollups, histograms: new Map(hist.map((h) => [`${h.hour}|${h.integration_id}|${h.user_key}|${h.metric}|${h.bucket}`, Number(h.n)])) };
}

/** A reference with zero values dropped, sorted, for toEqual. */
export function comparable(r: Reference) {
  const rollups = [...r.rollups].map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([, n]) => n !== 0))] as const)
    .filter(([, v]) => Object.keys(v).length > 0).sort(([a], [b]) => a.localeCompare(b));
  return { rollups: Object.fromEntries(rollups), histograms: Object.fromEntries([...r.histograms].sort(([a], [b]) => a.localeCompare(b))) };
}
