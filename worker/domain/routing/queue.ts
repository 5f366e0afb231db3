/**
 * A bot's queue of managers as stored in D1 (integration_queue + the integration's cap): what admins
 * read and edit, and the snapshot the BotQueue object decides from.
 */
import { and, eq, sql, type Placeholder } from 'drizzle-orm';
import type { Db, Write } from '../../data/db';
import { runBatch } from '../../data/db';
import { statementTemplate } from '../../data/statement-template';
import { inJsonList, jsonEach } from '../../data/json-list';
import { chats, integrationQueue, integrations, users, type AssignmentRule } from '../../data/schema';
import { can, type SessionUser } from '../access';
import { badRequest, DomainError, forbidden, notFound } from '../../shared/errors';
import type { RotationMember } from './round-robin';

export interface QueueItem extends RotationMember {
  name: string;
  position: number;
}

export interface QueueView {
  items: QueueItem[];
  /** Members with this many open chats or more are skipped; null = no cap. */
  maxOpenChatsPerManager: number | null;
}

export interface QueueInput {
  userIds: string[];
  /**
   * Members whose status becomes `away` (the others in the list become `available`): the per-bot flag
   * is now the person's status, shared by every bot. Omitted = nobody's status changes.
   */
  away?: string[];
  /** Omitted = unchanged; null = no cap. */
  maxOpenChatsPerManager?: number | null;
}

/**
 * A manager's load is every open chat they are responsible for, whichever bot it came from: the cap
 * protects a person, not a bot. Evaluated only when the integration has a cap (CASE is lazy), and each
 * count is a range of the chats_group index.
 */
const openChatsOf = (capColumn: unknown) => sql<number>`CASE WHEN ${capColumn} IS NULL THEN 0 ELSE (SELECT count(*) FROM chats c WHERE c.status = 'open' AND c.responsible_id = ${integrationQueue.userId}) END`;
const alwaysOpenChats = sql<number>`(SELECT count(*) FROM chats c WHERE c.status = 'open' AND c.responsible_id = ${integrationQueue.userId})`;

/**
 * Chats of this bot started since `since` that D1 already shows for the member (open or closed since):
 * what the BotQueue subtracts from its recent decisions to know which are still in flight.
 */
const landedSince = (capColumn: unknown, integrationId: Placeholder, since: Placeholder) => sql<number>`CASE WHEN ${capColumn} IS NULL THEN 0 ELSE (SELECT count(*) FROM chats c WHERE c.integration_id = ${integrationId} AND c.started_at >= ${since} AND coalesce(c.responsible_id, c.last_responsible_id) = ${integrationQueue.userId}) END`;

/**
 * How long a decision may take to show up in D1 as a chat (the webhook stores it right after asking):
 * within this window the cap counts it as in flight unless D1 already shows it.
 */
export const IN_FLIGHT_MS = 15_000;

/**
 * The bot's queue deciding who gets a chat (null = leave it unassigned). `chatKey` makes a repeated ask
 * for the same chat cost no extra turn; `prefer` (a reopened chat's previous manager) gets it back if the
 * bot's rule lets them take chats; `given` is the queue as the caller just read it, so the decision
 * needs no read of its own.
 */
export type PickManager = (integrationId: string, chatKey?: string, prefer?: string | null, given?: RotationRead) => Promise<string | null>;

/** A snapshot with the time its `landed` counts start from: decisions since then are matched against them. */
export interface RotationRead {
  snapshot: RotationSnapshot;
  since: number;
}

export interface RotationSnapshot {
  members: RotationMember[];
  cap: number | null;
  rule: AssignmentRule;
  /** Null = no reassignment for want of a reply. */
  reassignAfterMinutes: number | null;
  /** Per member: chats of this bot started since `since` (only counted when there is a cap). */
  landed: Record<string, number>;
}

/**
 * The queue in order with what the round-robin needs, in one query (the bot's settings ride on every
 * member row). It runs on every new chat's path, so drizzle builds it once per handle
 * (data/statement-template.ts) and each call binds the bot and the time.
 */
type RotationRow = {
  userId: string; status: (typeof users.$inferSelect)['status']; active: boolean; cap: number | null; rule: AssignmentRule; reassignAfterMinutes: number | null; openChats: number; landed: number;
};

function selectRotation(db: Db, onlyIfNoChat: boolean) {
  const cap = integrations.maxOpenChatsPerManager;
  const integrationId = sql.placeholder('integrationId');
  const ofBot = eq(integrationQueue.integrationId, integrationId);
  return db
    .select({
      userId: integrationQueue.userId, status: users.status, active: users.active, cap,
      rule: integrations.assignmentRule, reassignAfterMinutes: integrations.reassignAfterMinutes,
      openChats: openChatsOf(cap), landed: landedSince(cap, integrationId, sql.placeholder('since')),
    })
    .from(integrationQueue)
    .innerJoin(users, eq(users.id, integrationQueue.userId))
    .innerJoin(integrations, eq(integrations.id, integrationQueue.integrationId))
    .where(onlyIfNoChat
      // A constant condition: SQLite looks the chat up once (chats_external), and a known client's read-ahead costs no queue rows.
      ? and(ofBot, sql`NOT EXISTS (SELECT 1 FROM ${chats} WHERE ${chats.integrationId} = ${integrationId} AND ${chats.externalChatId} = ${sql.placeholder('externalChatId')})`)
      : ofBot)
    .orderBy(integrationQueue.position);
}

const rotationRows = statementTemplate<{ integrationId: string; since: number }, RotationRow>((db) => selectRotation(db, false));

/**
 * The same rows, read ahead by a webhook in its first batch, only when the client has no chat with the
 * bot yet (the rows are what the queue decides a new chat from: the BotQueue then reads nothing itself).
 */
export const newChatRotationRows = statementTemplate<{ integrationId: string; since: number; externalChatId: string }, RotationRow>((db) => selectRotation(db, true));

/** The queue in order with what the round-robin needs, in one query. Empty when the bot has no queue. */
export async function loadRotation(db: Db, integrationId: string, since = Date.now()): Promise<RotationSnapshot> {
  return rotationOf(await rotationRows.all(db, { integrationId, since }));
}

/** The snapshot the round-robin decides from, out of the rotation's rows. */
export function rotationOf(rows: RotationRow[]): RotationSnapshot {
  const bot = rows[0];
  return {
    members: rows.map(({ userId, status, active, openChats }) => ({ userId, away: status === 'away', active, openChats })),
    cap: bot?.cap ?? null,
    rule: bot?.rule ?? 'available',
    // With nobody in the queue there is nobody to move a chat to: no timer.
    reassignAfterMinutes: bot?.reassignAfterMinutes ?? null,
    landed: Object.fromEntries(rows.map((r) => [r.userId, r.landed])),
  };
}

/** The queue as admins see it: names, statuses (`away`), active flags and current open chats. */
export async function getQueue(db: Db, integrationId: string): Promise<QueueView> {
  const integration = await findIntegration(db, integrationId);
  const items = await db
    .select({ userId: integrationQueue.userId, name: users.name, position: integrationQueue.position, away: sql<boolean>`${users.status} = 'away'`.mapWith(Boolean), active: users.active, openChats: alwaysOpenChats })
    .from(integrationQueue)
    .innerJoin(users, eq(users.id, integrationQueue.userId))
    .where(eq(integrationQueue.integrationId, integrationId))
    .orderBy(integrationQueue.position)
    .all();
  return { items, maxOpenChatsPerManager: integration.maxOpenChatsPerManager };
}

/**
 * Replaces the ordered queue (and optionally the cap) in one batch. Members must be people who may
 * answer chats (not observers); the rotation cursor lives in the BotQueue object and survives this.
 */
export async function putQueue(db: Db, integrationId: string, input: QueueInput): Promise<QueueView> {
  await findIntegration(db, integrationId);
  const ids = input.userIds;
  if (new Set(ids).size !== ids.length) throw badRequest('duplicate_member', 'A manager may appear in the queue only once');
  const strayAway = (input.away ?? []).filter((id) => !ids.includes(id));
  if (strayAway.length) throw badRequest('away_not_member', 'Only queue members can be marked away', { userIds: strayAway });

  const found = ids.length ? await db.select({ id: users.id, email: users.email, name: users.name, role: users.role }).from(users).where(inJsonList(users.id, ids)).all() : [];
  const missing = ids.filter((id) => !found.some((u) => u.id === id));
  if (missing.length) throw new DomainError(404, 'not_found', 'Some users were not found', { userIds: missing });
  const cannotAnswer = found.filter((u) => !can(u, 'chats:take')).map((u) => u.id);
  if (cannotAnswer.length) throw badRequest('not_assignable', 'Observers cannot take chats from a queue', { userIds: cannotAnswer });

  const writes: Write[] = [db.delete(integrationQueue).where(eq(integrationQueue.integrationId, integrationId))];
  // One row per member from one JSON list (the array index is the position): a queue of 200 is still
  // two bound parameters, where VALUES would need three per member.
  if (ids.length) {
    writes.push(db.insert(integrationQueue).select(sql`SELECT ${integrationId}, m.value, m.key FROM ${jsonEach(ids)} AS m`));
  }
  if (input.away && ids.length) {
    writes.push(db.update(users)
      .set({ status: sql`CASE WHEN ${users.id} IN (SELECT value FROM ${jsonEach(input.away)}) THEN 'away' ELSE 'available' END` })
      .where(inJsonList(users.id, ids)));
  }
  if (input.maxOpenChatsPerManager !== undefined) writes.push(db.update(integrations).set({ maxOpenChatsPerManager: input.maxOpenChatsPerManager }).where(eq(integrations.id, integrationId)));
  await runBatch(db, writes);
  return getQueue(db, integrationId);
}

/**
 * Marks one member away or back: the person's status, for every bot (the old per-bot flag's route is
 * kept and now means this). Admins may do it for anyone, a manager for themself.
 */
export async function setMemberAway(db: Db, actor: SessionUser, integrationId: string, userId: string, away: boolean): Promise<QueueItem> {
  if (!can(actor, 'queue:away', { subjectUserId: userId })) throw forbidden('Only an administrator or the manager themself can change this');
  await findIntegration(db, integrationId);
  const where = and(eq(integrationQueue.integrationId, integrationId), eq(integrationQueue.userId, userId));
  const member = await db.select({ userId: integrationQueue.userId }).from(integrationQueue).where(where).get();
  if (!member) throw notFound('Queue member');
  await db.update(users).set({ status: away ? 'away' : 'available' }).where(eq(users.id, userId));
  const view = await getQueue(db, integrationId);
  return view.items.find((m) => m.userId === userId)!;
}

async function findIntegration(db: Db, id: string) {
  const row = await db.select({ id: integrations.id, maxOpenChatsPerManager: integrations.maxOpenChatsPerManager, removedAt: integrations.removedAt }).from(integrations).where(eq(integrations.id, id)).get();
  // A disconnected bot keeps its history but has no queue to manage.
  if (!row || row.removedAt !== null) throw notFound('Integration');
  return row;
}
