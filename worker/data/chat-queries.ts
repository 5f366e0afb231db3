/**
 * Reads about one chat: the facts access and actions decide on, and the details card. Every query is
 * a primary-key or foreign-key index lookup; the details card is one D1 round trip (a read batch).
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { ChatDetails } from '../shared/chats';
import type { Db } from './db';
import { chatLinks, chatObservers, chats, chatTags, chatUserState, contacts, csatRatings, integrations, opportunities, projects, tags, tasks } from './schema';
import { CSAT_WINDOW_MS } from '../shared/csat';
import { iso, isoOrNull } from './wire-time';

export interface ChatFactsRow {
  id: string;
  contactId: string;
  integrationId: string;
  status: 'open' | 'closed';
  responsibleId: string | null;
  lastResponsibleId: string | null;
  lastInboundAt: number | null;
  observedByUser: boolean;
  lastReadAt: number;
  muted: boolean;
}

/** What access checks and state transitions need, as seen by `userId`; undefined if no such chat. */
export async function loadChatFacts(db: Db, chatId: string, userId: string): Promise<ChatFactsRow | undefined> {
  return toChatFacts(await chatFactsQuery(db, chatId, userId).get());
}

/** The facts' query alone, for a batch that reads the chat's rows in the same round trip (rows in, toChatFacts). */
export function chatFactsQuery(db: Db, chatId: string, userId: string) {
  return db
    .select({
      id: chats.id, contactId: chats.contactId, integrationId: chats.integrationId, status: chats.status, responsibleId: chats.responsibleId, lastResponsibleId: chats.lastResponsibleId, lastInboundAt: chats.lastInboundAt,
      observed: sql<number>`EXISTS (SELECT 1 FROM ${chatObservers} WHERE ${chatObservers.chatId} = ${chats.id} AND ${chatObservers.userId} = ${userId})`,
      lastReadAt: sql<number>`coalesce(${chatUserState.lastReadAt}, 0)`,
      muted: sql<number>`coalesce(${chatUserState.muted}, 0)`,
    })
    .from(chats)
    .leftJoin(chatUserState, and(eq(chatUserState.userId, userId), eq(chatUserState.chatId, chats.id)))
    .where(eq(chats.id, chatId))
    .limit(1);
}

export function toChatFacts(row: Awaited<ReturnType<typeof chatFactsQuery>>[number] | undefined): ChatFactsRow | undefined {
  if (!row) return undefined;
  const { observed, ...rest } = row;
  return { ...rest, observedByUser: !!observed, muted: !!row.muted, lastReadAt: Number(row.lastReadAt) };
}

/** Who observes a chat (a chat room decides with these who may stay). */
export async function chatObserverIds(db: Db, chatId: string): Promise<string[]> {
  return (await db.select({ userId: chatObservers.userId }).from(chatObservers).where(eq(chatObservers.chatId, chatId)).all()).map((r) => r.userId);
}

/** The chat card for `userId` (their mute flag and unread state), or null. */
export async function chatDetails(db: Db, chatId: string, userId: string): Promise<Omit<ChatDetails, 'replyChanges'> | null> {
  const [main, observers, tagRows, opps, taskRows, projectRows, surveys] = await db.batch([
    db
      .select({
        id: chats.id, status: chats.status, startedAt: chats.startedAt, lastMessageAt: chats.lastMessageAt, closedAt: chats.closedAt,
        // D1 batches return rows keyed by column name: two columns both called "name" would collide.
        integrationId: chats.integrationId, integrationName: sql<string | null>`${integrations.name}`.as('integration_name'), channel: chats.channel,
        responsibleId: chats.responsibleId, lastResponsibleId: chats.lastResponsibleId, lastInboundAt: chats.lastInboundAt,
        contactId: chats.contactId, contactName: contacts.name, username: contacts.username, phone: contacts.phone, email: contacts.email,
        company: contacts.company, avatarUrl: contacts.avatarUrl,
        muted: sql<number>`coalesce(${chatUserState.muted}, 0)`, lastReadAt: sql<number>`coalesce(${chatUserState.lastReadAt}, 0)`,
      })
      .from(chats)
      .leftJoin(contacts, eq(contacts.id, chats.contactId))
      .leftJoin(integrations, eq(integrations.id, chats.integrationId))
      .leftJoin(chatUserState, and(eq(chatUserState.userId, userId), eq(chatUserState.chatId, chats.id)))
      .where(eq(chats.id, chatId)),
    db.select({ userId: chatObservers.userId }).from(chatObservers).where(eq(chatObservers.chatId, chatId)),
    db.select({ name: tags.name }).from(chatTags).innerJoin(tags, eq(tags.id, chatTags.tagId)).where(eq(chatTags.chatId, chatId)).orderBy(asc(tags.key)),
    // A returning client's earlier deals matter too: the card lists the contact's opportunities.
    db.select().from(opportunities)
      .where(eq(opportunities.contactId, sql`(SELECT ${chats.contactId} FROM ${chats} WHERE ${chats.id} = ${chatId})`))
      .orderBy(desc(opportunities.createdAt), desc(opportunities.id)),
    db.select({ id: tasks.id, title: tasks.title, done: tasks.done, dueAt: tasks.dueAt, assigneeId: tasks.assigneeId })
      .from(chatLinks).innerJoin(tasks, eq(tasks.id, chatLinks.linkedId))
      .where(and(eq(chatLinks.chatId, chatId), eq(chatLinks.kind, 'task'))).orderBy(asc(chatLinks.createdAt)),
    db.select({ id: projects.id, name: projects.name })
      .from(chatLinks).innerJoin(projects, eq(projects.id, chatLinks.linkedId))
      .where(and(eq(chatLinks.chatId, chatId), eq(chatLinks.kind, 'project'))).orderBy(asc(chatLinks.createdAt)),
    db.select().from(csatRatings).where(eq(csatRatings.chatId, chatId)).orderBy(desc(csatRatings.askedAt), desc(csatRatings.id)).limit(1),
  ]);
  const survey = surveys[0];
  const c = main[0];
  if (!c) return null;
  return {
    id: c.id,
    status: c.status,
    startedAt: iso(c.startedAt),
    lastMessageAt: iso(c.lastMessageAt),
    closedAt: isoOrNull(c.closedAt),
    source: { integrationId: c.integrationId, name: c.integrationName ?? '' },
    channel: c.channel,
    responsibleId: c.responsibleId,
    lastResponsibleId: c.lastResponsibleId,
    observerIds: observers.map((o) => o.userId),
    tags: tagRows.map((t) => t.name),
    contact: {
      id: c.contactId, name: c.contactName ?? '', username: c.username ?? null, phone: c.phone ?? null, email: c.email ?? null,
      company: c.company ?? null, avatarUrl: c.avatarUrl ?? null,
    },
    opportunities: opps.map((o) => ({
      id: o.id, title: o.title, contactId: o.contactId, funnelId: o.funnelId, stageId: o.stageId, amount: o.amount,
      responsibleId: o.responsibleId, chatId: o.chatId, createdAt: iso(o.createdAt),
    })),
    links: {
      tasks: taskRows.map((t) => ({ id: t.id, title: t.title, done: t.done, dueAt: isoOrNull(t.dueAt), assigneeId: t.assigneeId })),
      projects: projectRows,
    },
    muted: !!c.muted,
    unread: (c.lastInboundAt ?? 0) > Number(c.lastReadAt),
    csat: survey ? {
      state: survey.rating !== null ? 'rated' : survey.cancelledAt !== null ? 'cancelled' : 'asked',
      rating: survey.rating, comment: survey.comment, askedAt: iso(survey.askedAt), ratedAt: isoOrNull(survey.ratedAt),
      expiresAt: iso(survey.askedAt + CSAT_WINDOW_MS),
    } : null,
  };
}
