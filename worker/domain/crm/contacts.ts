/**
 * Contacts: the person behind one or more messenger identities. Managers fill in phone, email and
 * company from the chat's side panel; the name starts as the messenger reported it.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { chatObservers, chats, contactIdentities, contacts } from '../../data/schema';
import { conflict, notFound } from '../../shared/errors';
import { can, type SessionUser } from '../access';
import { clock, publishAll, type Deps } from '../runtime';

export interface ContactView {
  id: string;
  name: string;
  username: string | null;
  phone: string | null;
  email: string | null;
  company: string | null;
  avatarUrl: string | null;
  identities: { channel: string; integrationId: string; externalId: string }[];
  createdAt: number;
  updatedAt: number;
}

export interface ContactPatch {
  name?: string;
  /** null or '' clears the field. */
  phone?: string | null;
  email?: string | null;
  company?: string | null;
}

/** What an old link to a merged-away contact answers: where the person lives now. */
export interface MergedAway {
  mergedInto: string;
}

/** One contact with the messenger identities it is known by, or 404 (or 409 for a merged-away one). */
export async function getContact(db: Db, id: string): Promise<ContactView> {
  const found = await findContact(db, id);
  if ('mergedInto' in found) throw conflict('contact_merged', `This contact was merged into ${found.mergedInto}`);
  return found;
}

/** One contact, or where it was merged into; 404 when there is no such contact. */
export async function findContact(db: Db, id: string): Promise<ContactView | MergedAway> {
  const row = await db.select().from(contacts).where(eq(contacts.id, id)).get();
  if (!row) throw notFound('Contact');
  const { mergedIntoId, ...contact } = row;
  if (mergedIntoId) return { mergedInto: mergedIntoId };
  const identities = await db
    .select({ channel: contactIdentities.channel, integrationId: contactIdentities.integrationId, externalId: contactIdentities.externalId })
    .from(contactIdentities).where(eq(contactIdentities.contactId, id)).orderBy(asc(contactIdentities.createdAt)).all();
  return { ...contact, identities };
}

/**
 * A contact as `user` may read it: the whole CRM, or (observers) the contact of a chat they may read
 * the CRM of. Others do not exist for them (404, as for chats).
 */
export async function readContact(db: Db, user: SessionUser, id: string): Promise<ContactView | MergedAway> {
  if (!can(user, 'crm:view') && !can(user, 'chat:crm_read', { observedByUser: await observesContact(db, user.id, id) })) throw notFound('Contact');
  return findContact(db, id);
}

/** True when one of the contact's chats is observed by the user (an observer's only way to a contact). */
export async function observesContact(db: Db, userId: string, contactId: string): Promise<boolean> {
  const row = await db.select({ id: chats.id }).from(chats)
    .innerJoin(chatObservers, and(eq(chatObservers.chatId, chats.id), eq(chatObservers.userId, userId)))
    .where(eq(chats.contactId, contactId)).limit(1).get();
  return !!row;
}

/** Edits name, phone, email or company; the contact's chats are told so open lists show the new name. */
export async function updateContact(deps: Deps, id: string, patch: ContactPatch): Promise<ContactView> {
  await getContact(deps.db, id);
  // An emptied optional field is stored as null, so "has a phone" is one test.
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined).map(([k, v]) => [k, k !== 'name' && v === '' ? null : v]));
  if (Object.keys(set).length === 0) return getContact(deps.db, id);
  await deps.db.update(contacts).set({ ...set, updatedAt: clock(deps) }).where(eq(contacts.id, id));
  const affected = await deps.db.select({ id: chats.id }).from(chats).where(eq(chats.contactId, id)).all();
  await publishAll(deps, affected.map((c) => ({ kind: 'chat_updated' as const, chatId: c.id, reason: 'other' as const })));
  return getContact(deps.db, id);
}
