/**
 * Merging two contacts that are one person (e.g. the same client on Telegram and on Viber). The other
 * contact's chats, opportunities, tasks and messenger identities move to the survivor, the survivor's
 * empty fields are filled from the other, and the other is kept as a pointer (`merged_into_id`) so old
 * links answer {mergedInto}. Everything happens in one D1 batch whose statements are all guarded by "the
 * other is now merged into the survivor": if a concurrent merge got there first, the batch changes
 * nothing. A webhook that read the other's identity just before the batch and inserts a chat just after
 * it is caught by the insert guards of migration 0012, so the next message always lands on the survivor.
 */
import { eq, sql } from 'drizzle-orm';
import { runBatch, type Write } from '../../data/db';
import { chatEvents, chats, contactIdentities, contacts, opportunities, tasks } from '../../data/schema';
import type { SessionUser } from '../access';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { LiveChange } from '../live';
import { clock, publishAll, type Deps } from '../runtime';

export interface MergeResult {
  survivorId: string;
  /** False when the other was already merged into the survivor (a repeated request changes nothing). */
  merged: boolean;
}

/** Joins `otherId` into `survivorId`. Idempotent; 409 when either side was merged into a third contact. */
export async function mergeContacts(deps: Deps, user: SessionUser, survivorId: string, otherId: string): Promise<MergeResult> {
  const { db } = deps;
  if (survivorId === otherId) throw badRequest('same_contact', 'A contact cannot be merged with itself');
  const [survivor, other] = await Promise.all([
    db.select().from(contacts).where(eq(contacts.id, survivorId)).get(),
    db.select().from(contacts).where(eq(contacts.id, otherId)).get(),
  ]);
  if (!survivor || !other) throw notFound('Contact');
  if (other.mergedIntoId === survivorId) return { survivorId, merged: false };
  if (survivor.mergedIntoId) throw conflict('contact_merged', `This contact was merged into ${survivor.mergedIntoId}`);
  if (other.mergedIntoId) throw conflict('contact_merged', `The other contact was merged into ${other.mergedIntoId}`);

  const t = clock(deps);
  const isMerged = sql`(SELECT ${contacts.mergedIntoId} FROM ${contacts} WHERE ${contacts.id} = ${otherId}) = ${survivorId}`;
  const affectedChats = await db.select({ id: chats.id }).from(chats).where(sql`${chats.contactId} IN (${survivorId}, ${otherId})`).all();
  const fill = (column: string) => sql`coalesce(${sql.identifier(column)}, (SELECT c2.${sql.identifier(column)} FROM ${contacts} c2 WHERE c2.id = ${otherId}))`;

  const writes: Write[] = [
    // The claim: only if neither side is merged (a concurrent B→A merge must not make a cycle).
    db.update(contacts).set({ mergedIntoId: survivorId, updatedAt: t })
      .where(sql`${contacts.id} = ${otherId} AND ${contacts.mergedIntoId} IS NULL
        AND (SELECT c3.merged_into_id FROM ${contacts} c3 WHERE c3.id = ${survivorId}) IS NULL`),
    db.update(contacts).set({ phone: fill('phone'), email: fill('email'), company: fill('company'), username: fill('username'), avatarUrl: fill('avatar_url'), updatedAt: t })
      .where(sql`${contacts.id} = ${survivorId} AND ${isMerged}`),
    // Contacts merged into the other earlier now point straight at the survivor (no chains to follow).
    db.update(contacts).set({ mergedIntoId: survivorId }).where(sql`${contacts.mergedIntoId} = ${otherId} AND ${isMerged}`),
    db.update(contactIdentities).set({ contactId: survivorId }).where(sql`${contactIdentities.contactId} = ${otherId} AND ${isMerged}`),
    db.update(chats).set({ contactId: survivorId }).where(sql`${chats.contactId} = ${otherId} AND ${isMerged}`),
    db.update(opportunities).set({ contactId: survivorId }).where(sql`${opportunities.contactId} = ${otherId} AND ${isMerged}`),
    db.update(tasks).set({ contactId: survivorId }).where(sql`${tasks.contactId} = ${otherId} AND ${isMerged}`),
  ];
  const changes: LiveChange[] = [];
  for (const chat of affectedChats) {
    const eventId = newId(t);
    const data = JSON.stringify({ survivorId, mergedId: otherId, survivorName: survivor.name, mergedName: other.name });
    // Columns in chat_events' order: id, chat_id, type, actor_id, data, created_at.
    writes.push(db.insert(chatEvents).select(sql`SELECT ${eventId}, ${chat.id}, 'contact_merged', ${user.id}, ${data}, ${t} WHERE ${isMerged}`));
    changes.push({ kind: 'event', chatId: chat.id, eventId }, { kind: 'chat_updated', chatId: chat.id, reason: 'other' });
  }
  await runBatch(db, writes);

  const after = await db.select({ mergedIntoId: contacts.mergedIntoId }).from(contacts).where(eq(contacts.id, otherId)).get();
  if (after?.mergedIntoId !== survivorId) throw conflict('contact_merged', 'One of the contacts was merged elsewhere meanwhile');
  await publishAll(deps, changes);
  return { survivorId, merged: true };
}
