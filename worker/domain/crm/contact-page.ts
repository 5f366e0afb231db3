/**
 * Everything the contact page shows beside the contact's fields: their chats on every channel (newest
 * first), opportunities, tasks and the comments left in their chats, plus likely duplicates. Staff see
 * all of it; an observer (who reaches a contact only through a chat they observe) sees only what those
 * chats show, and no duplicates.
 */
import { and, desc, eq, inArray, isNull, ne, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { inJsonList } from '../../data/json-list';
import { chatLinks, chatObservers, chats, comments, contactIdentities, contacts, opportunities, tasks, users } from '../../data/schema';
import { can, type SessionUser } from '../access';
import { newestOpportunitiesFirst } from './opportunities';

const PAGE_LIMIT = 100;

export interface ContactChat {
  id: string;
  integrationId: string;
  channel: string;
  status: string;
  lastMessageAt: number;
  lastMessagePreview: string;
}

export interface ContactComment {
  id: string;
  chatId: string;
  authorId: string;
  authorName: string;
  text: string;
  createdAt: number;
}

export interface DuplicateSuggestion {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  channels: string[];
  /** Why it looks like the same person. */
  reason: 'phone' | 'email' | 'name';
}

export interface ContactRelated {
  chats: ContactChat[];
  opportunities: (typeof opportunities.$inferSelect)[];
  tasks: (typeof tasks.$inferSelect)[];
  comments: ContactComment[];
  duplicates: DuplicateSuggestion[];
}

/** What `user` may see around contact `id` (whose own row they were already allowed to read). */
export async function contactRelated(db: Db, user: SessionUser, id: string): Promise<ContactRelated> {
  const staff = can(user, 'crm:view');
  const chatRows = await db
    .select({ id: chats.id, integrationId: chats.integrationId, channel: chats.channel, status: chats.status, lastMessageAt: chats.lastMessageAt, lastMessagePreview: chats.lastMessagePreview })
    .from(chats)
    .where(and(eq(chats.contactId, id), staff ? undefined : inArray(chats.id, db.select({ id: chatObservers.chatId }).from(chatObservers).where(eq(chatObservers.userId, user.id)))))
    .orderBy(desc(chats.lastMessageAt), desc(chats.id)).limit(PAGE_LIMIT).all();
  const chatIds = chatRows.map((c) => c.id);
  const inTheirChats = (column: SQLWrapper) => (chatIds.length ? inJsonList(column, chatIds) : sql`0`);

  const opportunityRows = await db.select().from(opportunities)
    .where(staff ? eq(opportunities.contactId, id) : inTheirChats(opportunities.chatId))
    .orderBy(newestOpportunitiesFirst).limit(PAGE_LIMIT).all();
  const linkedTasks = db.select({ id: chatLinks.linkedId }).from(chatLinks).where(and(eq(chatLinks.kind, 'task'), inTheirChats(chatLinks.chatId)));
  const taskRows = await db.select().from(tasks)
    .where(staff ? or(eq(tasks.contactId, id), inArray(tasks.id, linkedTasks)) : inArray(tasks.id, linkedTasks))
    .orderBy(desc(tasks.id)).limit(PAGE_LIMIT).all();
  const commentRows = await db
    .select({ id: comments.id, chatId: comments.chatId, authorId: comments.authorId, authorName: users.name, text: comments.text, createdAt: comments.createdAt })
    .from(comments).innerJoin(users, eq(users.id, comments.authorId))
    .where(inTheirChats(comments.chatId)).orderBy(desc(comments.createdAt)).limit(PAGE_LIMIT).all();
  return { chats: chatRows, opportunities: opportunityRows, tasks: taskRows, comments: commentRows, duplicates: staff ? await duplicatesOf(db, id) : [] };
}

/**
 * Contacts that are probably the same person: same phone or email, or the same name known on another
 * channel. Only suggestions; a person decides whether to merge.
 */
export async function duplicatesOf(db: Db, id: string): Promise<DuplicateSuggestion[]> {
  const me = await db.select().from(contacts).where(eq(contacts.id, id)).get();
  if (!me) return [];
  const others = (cond: SQL) =>
    db.select({ id: contacts.id, name: contacts.name, phone: contacts.phone, email: contacts.email }).from(contacts)
      .where(and(cond, ne(contacts.id, id), isNull(contacts.mergedIntoId))).limit(10).all();
  const found = new Map<string, DuplicateSuggestion>();
  const add = (rows: { id: string; name: string; phone: string | null; email: string | null }[], reason: DuplicateSuggestion['reason']) => {
    for (const r of rows) if (!found.has(r.id)) found.set(r.id, { ...r, channels: [], reason });
  };
  if (me.phone) add(await others(eq(contacts.phone, me.phone)), 'phone');
  if (me.email) add(await others(eq(contacts.email, me.email)), 'email');
  add(await others(eq(contacts.name, me.name)), 'name');
  if (found.size === 0) return [];
  const identities = await db.select({ contactId: contactIdentities.contactId, channel: contactIdentities.channel }).from(contactIdentities)
    .where(inJsonList(contactIdentities.contactId, [...found.keys(), id])).all();
  const mine = new Set(identities.filter((i) => i.contactId === id).map((i) => i.channel));
  for (const i of identities) {
    const d = found.get(i.contactId);
    if (d && !d.channels.includes(i.channel)) d.channels.push(i.channel);
  }
  // A same-name contact on the same channel(s) only is most likely another person with a common name.
  return [...found.values()].filter((d) => d.reason !== 'name' || d.channels.some((ch) => !mine.has(ch)));
}
