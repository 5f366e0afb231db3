/**
 * What every domain write needs (chats and CRM alike), passed in so tests call it without HTTP: the
 * database, a clock, and where durable changes go for live updates.
 */
import { sql } from 'drizzle-orm';
import { getTableColumns } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chatEvents, type EventType } from '../../data/schema';
import { newId } from '../../shared/ids';
import type { LiveChange, Publish } from '../live';
import type { Viewer } from '../access';
import type { PickManager } from '../routing';
import type { MentionNotice } from '../../shared/mention-wire';

export interface Deps {
  db: Db;
  now?: () => number;
  /** Receives the changes after they are stored; omitted = nobody listening. */
  publish?: Publish;
  /** Tells a bot's queue it may have chats to place (see RequestDeps); omitted = the queue's own retry alarm. */
  wakeQueues?: (target: { integrationId: string } | { userId: string }) => Promise<void>;
  /** Tells these people's open inbox tabs their mentions changed; omitted = nobody listening. */
  notifyUsers?: (notices: MentionNotice[]) => Promise<void>;
}

/**
 * One request's dependencies, built once by the HTTP layer's middleware (`c.var.deps`): the domain's
 * `Deps` with a real clock and a publish that runs after the response, plus the other bindings routes
 * hand to domain functions. Routes take everything from here and never reach the Durable Objects.
 */
export interface RequestDeps extends Deps {
  now: () => number;
  publish: Publish;
  /** The bot's round-robin queue: who gets a new chat (or a reopened one, preferring its previous manager). */
  pickManager: PickManager;
  /** Tells bots' queues someone may now take chats (or the bot's settings changed); awaited, it only sets an alarm. */
  wakeQueues: (target: { integrationId: string } | { userId: string }) => Promise<void>;
  /** Who has the app open (a live inbox socket). */
  onlineUserIds: () => Promise<string[]>;
  /** Where files are kept (R2). */
  media: R2Bucket;
  /** Tells a bot's queue a client just wrote, so its no-reply timer starts; after the response. */
  clientWrote: (integrationId: string) => void;
  /** Tells open live sockets a user changed (role, active, session), after the response. */
  userChanged: (userId: string) => void;
  notifyUsers: (notices: MentionNotice[]) => Promise<void>;
  /** Hands an authenticated, authorised WebSocket upgrade to its live stream. */
  openLive: (stream: LiveStream, viewer: Viewer, after: number | null) => Promise<Response>;
}

/** Which live stream a socket joins: the inbox feed, or one chat's room with the observers checked at connect. */
export type LiveStream = { kind: 'inbox' } | { kind: 'chat'; chatId: string; observerIds: string[] };

/** The one clock: the injected `now` (tests pin time) or the real one. Takes anything with an optional `now`. */
export const clock = (deps: Pick<Deps, 'now'>): number => (deps.now ? deps.now() : Date.now());

/**
 * Hands stored changes to the live fan-out and returns them (tests assert on them). The write has
 * landed by now, so a fan-out failure is logged, not turned into an error the client would retry.
 */
export async function publishAll(deps: Deps, changes: LiveChange[]): Promise<LiveChange[]> {
  if (!deps.publish || changes.length === 0) return changes;
  try {
    await deps.publish(changes);
  } catch (err) {
    console.error('publish failed', err);
  }
  return changes;
}

export interface EventInput {
  chatId: string;
  type: EventType;
  actorId: string | null;
  data: Record<string, unknown>;
  at: number;
}

/** A timeline event row for a batch, with a fresh id. */
export function eventInsert(db: Db, e: EventInput) {
  const id = newId(e.at);
  return { id, write: db.insert(chatEvents).values({ id, chatId: e.chatId, type: e.type, actorId: e.actorId, data: e.data, createdAt: e.at }) };
}

/**
 * An event row that is written only if the statement just before it in the batch changed a row
 * (`changes() = 1`). Pairs with a guarded UPDATE (`… WHERE status = 'open'`): when a concurrent request
 * won the transition, neither the state nor a second event is written.
 */
export function guardedEventInsert(db: Db, e: EventInput) {
  const id = newId(e.at);
  const values: Record<string, unknown> = { id, chatId: e.chatId, type: e.type, actorId: e.actorId, data: JSON.stringify(e.data), createdAt: e.at };
  // INSERT … SELECT lists every column in table order; fail loudly if the table grows a column.
  const columns = Object.keys(getTableColumns(chatEvents));
  const missing = columns.filter((k) => !(k in values));
  if (missing.length) throw new Error(`guardedEventInsert: no value for chat_events.${missing.join(', ')}`);
  const list = sql.join(columns.map((k) => sql`${values[k]}`), sql`, `);
  return { id, write: db.insert(chatEvents).select(sql`SELECT ${list} WHERE changes() = 1`) };
}
