/**
 * The D1 reads of one live publish, all in ONE batch (one round trip): chat summaries with the unread
 * count of a user who never read and a freshness stamp, observers, per-user read/mute state, and the
 * changed messages and events.
 */
import { and, eq, inArray, sql, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm';
import { UNREAD_COUNT_CAP } from './chat-lists';
import type { Db, Write } from './db';
import { statementTemplate, type Buildable, type StatementTemplate } from './statement-template';
import { chatEvents, chatObservers, chats, chatUserState, contacts, integrations, messageCode, messages } from './schema';
import { limitLiteral } from './inline-limits';

/** D1 binds at most 100 parameters per statement. */
const IDS_PER_STATEMENT = 90;
/** An event read binds each event's id and its chat's id. */
const EVENTS_PER_STATEMENT = IDS_PER_STATEMENT / 2;

export type SummaryRow = Awaited<ReturnType<typeof summaryQuery>>[number];
export type ReaderRow = Awaited<ReturnType<typeof readerQuery>>[number];
export type MessageRow = typeof messages.$inferSelect;
export type EventRow = typeof chatEvents.$inferSelect;

export interface LiveRows {
  summaries: Map<string, SummaryRow>;
  observers: Map<string, string[]>;
  readers: Map<string, ReaderRow[]>;
  messages: Map<string, MessageRow>;
  events: Map<string, EventRow>;
}

/**
 * LiveRows for one chat from rows a write's own batch returned (ingest's hot path, a delivered reply),
 * so its publish need not read them back.
 */
export function oneChatLiveRows(chatId: string, rows: { summaries: SummaryRow[]; observerIds: string[]; readers?: ReaderRow[]; messages: MessageRow[] }): LiveRows {
  return {
    summaries: new Map(rows.summaries.map((s) => [s.id, s])),
    observers: rows.observerIds.length ? new Map([[chatId, rows.observerIds]]) : new Map(),
    readers: rows.readers?.length ? new Map([[chatId, rows.readers]]) : new Map(),
    messages: new Map(rows.messages.map((m) => [m.id, m])),
    events: new Map(),
  };
}

/** What to read: chats needing a summary, chats needing observers, chats needing reader state, rows by id. */
export interface LiveReadPlan {
  summaries: string[];
  observers: string[];
  readers: string[];
  messages: string[];
  /** Events by chat and id: chat_events is keyed by chat (WITHOUT ROWID), so its chat is how an event is found. */
  events: EventKey[];
}

export interface EventKey {
  chatId: string;
  id: string;
}

export async function readLiveRows(db: Db, want: LiveReadPlan): Promise<LiveRows> {
  const reads = liveReadStatements(db, want);
  return reads.rows(reads.statements.length ? ((await db.batch(reads.statements as [Write, ...Write[]])) as unknown[][]) : []);
}

/**
 * The statements of `readLiveRows`, not run: a write can append them to its own batch (after its
 * writes, so they read what it wrote) and pass their results to `rows` — its publish then reads nothing.
 */
export function liveReadStatements(db: Db, want: LiveReadPlan): { statements: Write[]; rows: (results: unknown[][]) => LiveRows } {
  const rows: LiveRows = { summaries: new Map(), observers: new Map(), readers: new Map(), messages: new Map(), events: new Map() };
  const statements: Write[] = [];
  const sinks: ((found: never[]) => void)[] = [];
  const add = <T>(statement: Write, sink: (found: T[]) => void) => {
    statements.push(statement);
    sinks.push(sink as (found: never[]) => void);
  };
  // A chat wanted in all three lists (every inbox change) is read by one statement instead of three.
  const [summaryIds, observerIds] = [new Set(want.summaries), new Set(want.observers)];
  const inAll = new Set(want.readers.filter((id) => summaryIds.has(id) && observerIds.has(id)));
  const rest = (ids: string[]) => ids.filter((id) => !inAll.has(id));
  for (const ids of chunk([...inAll])) {
    add(summariesWithPeople(db, ids), (found: SummaryWithPeopleRow[]) => found.forEach((r) => {
      const { summary, observerIds, readers } = summaryAndPeople(r);
      rows.summaries.set(summary.id, summary);
      for (const userId of observerIds) push(rows.observers, summary.id, userId);
      for (const reader of readers) push(rows.readers, summary.id, reader);
    }));
  }
  for (const ids of chunk(rest(want.summaries))) add(summaries(db, ids), (found: SummaryRow[]) => found.forEach((r) => rows.summaries.set(r.id, r)));
  for (const ids of chunk(rest(want.observers))) add(observers(db, ids), (found: ObserverRow[]) => found.forEach((r) => push(rows.observers, r.chatId, r.userId)));
  for (const ids of chunk(rest(want.readers))) add(readers(db, ids), (found: ReaderRow[]) => found.forEach((r) => push(rows.readers, r.chatId, r)));
  for (const ids of chunk(want.messages)) add(messagesById(db, ids), (found: MessageRow[]) => found.forEach((r) => rows.messages.set(r.id, r)));
  for (const keys of chunk(want.events, EVENTS_PER_STATEMENT)) add(eventsOf(db, keys), (found: EventRow[]) => found.forEach((r) => rows.events.set(r.id, r)));
  return {
    statements,
    rows: (results) => {
      results.forEach((found, i) => sinks[i](found as never[]));
      return rows;
    },
  };
}

type ObserverRow = typeof chatObservers.$inferSelect;
type Ids = (string | Placeholder)[] | SQLWrapper;

/**
 * A live read whose shape depends only on how many ids it names: drizzle builds it once per count (at
 * most IDS_PER_STATEMENT) and handle, and each publish binds its ids. Building the SQL of these joins
 * and subqueries anew was most of a new client's query-building CPU (tools/bench/profile.mjs fresh).
 */
function byIdCount<Row>(build: (db: Db, ids: Placeholder[]) => Buildable): (db: Db, ids: string[]) => Write {
  const templates = new Map<number, StatementTemplate<Record<string, string>, Row>>();
  return (db, ids) => {
    let template = templates.get(ids.length);
    if (!template) {
      const names = ids.map((_, i) => sql.placeholder(`id${i}`));
      templates.set(ids.length, (template = statementTemplate((handle) => build(handle, names))));
    }
    return template.item(db, Object.fromEntries(ids.map((id, i) => [`id${i}`, id])));
  };
}

const summaries = byIdCount<SummaryRow>((db, ids) => summaryQuery(db, ids));
const summariesWithPeople = byIdCount<SummaryWithPeopleRow>((db, ids) => summaryWithPeopleQuery(db, ids));
const observers = byIdCount<ObserverRow>((db, ids) => db.select().from(chatObservers).where(inArray(chatObservers.chatId, ids)));
const readers = byIdCount<ReaderRow>((db, ids) => readerQuery(db, ids));
const messagesById = byIdCount<MessageRow>((db, ids) => db.select().from(messages).where(inArray(messages.id, ids)));

/**
 * Events by id within their chats: `chat_id IN (…)` walks the key of each chat's events (a few dozen
 * rows, a few hundred in a long chat), `id IN (…)` picks the wanted ones; ids are unique, so another
 * chat's event never matches. Each key binds its own chat (repeats are harmless in IN), so the statement's
 * shape depends on the count alone and is built once per count like byIdCount's reads.
 */
const eventsByKey = byIdCount<EventRow>((db, names) => {
  const half = names.length / 2;
  return db.select().from(chatEvents).where(and(inArray(chatEvents.chatId, names.slice(0, half)), inArray(chatEvents.id, names.slice(half))));
});
const eventsOf = (db: Db, keys: EventKey[]) => eventsByKey(db, [...keys.map((k) => k.chatId), ...keys.map((k) => k.id)]);

// Joined columns get their own aliases: in a D1 batch drizzle maps rows by column name, so two "id"s
// would shift every later field. Subqueries name the outer columns in full for the same reason.
// Exported with `ids` as ids or a subquery: ingest's one-round-trip batch reads the chat its write found.
export function summaryQuery(db: Db, ids: Ids) {
  return db.select(summaryFields()).from(chats)
    .innerJoin(contacts, eq(contacts.id, chats.contactId))
    .innerJoin(integrations, eq(integrations.id, chats.integrationId))
    .where(inArray(chats.id, ids));
}

const summaryFields = () => ({
  id: chats.id, status: chats.status, responsibleId: chats.responsibleId, startedAt: chats.startedAt,
  lastMessageAt: chats.lastMessageAt, lastMessagePreview: chats.lastMessagePreview, closedAt: chats.closedAt,
  lastInboundAt: chats.lastInboundAt, channel: chats.channel, roomOpened: chats.roomOpened,
  contactId: sql<string>`${contacts.id}`.as('live_contact_id'),
  contactName: sql<string>`${contacts.name}`.as('live_contact_name'),
  avatarUrl: sql<string | null>`${contacts.avatarUrl}`.as('live_avatar_url'),
  integrationId: sql<string>`${integrations.id}`.as('live_integration_id'),
  integrationName: sql<string>`${integrations.name}`.as('live_integration_name'),
  inboundCount: sql<number>`(SELECT count(*) FROM (SELECT 1 FROM messages m WHERE m.chat_id = "chats"."id" AND m.direction = ${messageCode('direction', 'in')} LIMIT ${limitLiteral(UNREAD_COUNT_CAP)}))`.as('live_inbound_count'),
  eventStamp: sql<string | null>`(SELECT printf('%015d', e.created_at) || e.id FROM chat_events e WHERE e.chat_id = "chats"."id" ORDER BY e.created_at DESC, e.id DESC LIMIT 1)`.as('live_event_stamp'),
  messageStamp: sql<string | null>`(SELECT printf('%015d', m.created_at) || m.id FROM messages m WHERE m.chat_id = "chats"."id" ORDER BY m.created_at DESC, m.id DESC LIMIT 1)`.as('live_message_stamp'),
});

/** How many client messages in the chat came after `lastReadAt`, counted up to the cap. */
const unreadAfter = (chatId: SQL, lastReadAt: SQL) =>
  sql<number>`(SELECT count(*) FROM (SELECT 1 FROM messages m WHERE m.chat_id = ${chatId} AND m.direction = ${messageCode('direction', 'in')} AND m.created_at > ${lastReadAt} LIMIT ${limitLiteral(UNREAD_COUNT_CAP)}))`;

export function readerQuery(db: Db, ids: Ids) {
  return db
    .select({
      chatId: chatUserState.chatId, userId: chatUserState.userId, muted: chatUserState.muted, lastReadAt: chatUserState.lastReadAt,
      unreadCount: unreadAfter(sql`"chat_user_state"."chat_id"`, sql`"chat_user_state"."last_read_at"`).as('live_unread_count'),
    })
    .from(chatUserState)
    .where(inArray(chatUserState.chatId, ids));
}

/**
 * Chats' summaries with their observers and readers in ONE statement (the latter two as JSON columns),
 * not three: an ad hoc measure once put a D1 statement's fixed cost at ~0.1 ms of CPU, though later paired
 * runs could not see two statements fewer (README, Performance).
 * `summaryAndPeople` splits a row into what summaryQuery, the observers read and readerQuery give.
 */
export function summaryWithPeopleQuery(db: Db, ids: Ids) {
  return db
    .select({
      ...summaryFields(),
      observerIds: sql<string>`(SELECT json_group_array(o.user_id) FROM chat_observers o WHERE o.chat_id = "chats"."id")`.as('live_observer_ids'),
      readers: sql<string>`(SELECT json_group_array(json_array(u.user_id, u.muted, u.last_read_at, ${unreadAfter(sql`u.chat_id`, sql`u.last_read_at`)})) FROM chat_user_state u WHERE u.chat_id = "chats"."id")`.as('live_readers'),
    })
    .from(chats)
    .innerJoin(contacts, eq(contacts.id, chats.contactId))
    .innerJoin(integrations, eq(integrations.id, chats.integrationId))
    .where(inArray(chats.id, ids));
}

export type SummaryWithPeopleRow = Awaited<ReturnType<typeof summaryWithPeopleQuery>>[number];

export function summaryAndPeople(row: SummaryWithPeopleRow): { summary: SummaryRow; observerIds: string[]; readers: ReaderRow[] } {
  const { observerIds, readers, ...summary } = row;
  return {
    summary,
    observerIds: JSON.parse(observerIds) as string[],
    readers: (JSON.parse(readers) as [string, number, number, number][]).map(([userId, muted, lastReadAt, unreadCount]) => (
      { chatId: row.id, userId, muted: muted === 1, lastReadAt, unreadCount })),
  };
}

function push<V>(map: Map<string, V[]>, key: string, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function chunk<T>(items: T[], size = IDS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
