/**
 * Tags: free-form labels created the first time someone types them and reused after that (one row per
 * lower-cased, trimmed key; the display name is the first spelling).
 */
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db, Write } from '../../data/db';
import { runBatch } from '../../data/db';
import { inJsonList, jsonEach } from '../../data/json-list';
import { chatTags, tags } from '../../data/schema';
import { tagKey } from '../../data/tag-key';
import type { SessionUser } from '../access';
import type { ActionResult } from './actions';
import { authorizeChat } from '../access';
import { clock, eventInsert, publishAll, type Deps } from '../runtime';
import { newId } from '../../shared/ids';

/** Replaces the chat's tags with `names`, creating unknown tags; returns the chat's tag names. */
export async function setTags(deps: Deps, user: SessionUser, chatId: string, names: string[]): Promise<ActionResult & { tags: string[] }> {
  const { db } = deps;
  await authorizeChat(db, user, chatId, 'chat:tags');
  const wanted = new Map<string, string>();
  for (const raw of names) {
    const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
    const key = tagKey(name);
    if (key && !wanted.has(key)) wanted.set(key, name);
  }
  const keys = [...wanted.keys()];
  const current = await chatTagRows(db, chatId);
  const added = keys.filter((k) => !current.some((c) => c.key === k));
  const removed = current.filter((c) => !wanted.has(c.key));
  if (!added.length && !removed.length) return { eventId: null, changes: [], tags: current.map((c) => c.name) };

  const t = clock(deps);
  const writes: Write[] = [];
  if (removed.length) writes.push(db.delete(chatTags).where(and(eq(chatTags.chatId, chatId), inJsonList(chatTags.tagId, removed.map((r) => r.id)))));
  if (added.length) {
    // The unique key makes a tag typed concurrently elsewhere a no-op here; the SELECT picks up either row.
    // Rows come from one JSON list (D1's 100 parameters would allow only 33 tags as VALUES); "WHERE true"
    // keeps SQLite from reading ON CONFLICT as a join constraint.
    const newTags = added.map((key) => ({ id: newId(t), name: wanted.get(key)!, key }));
    writes.push(
      db.insert(tags).select(sql`SELECT value ->> 'id', value ->> 'name', value ->> 'key' FROM ${jsonEach(newTags)} WHERE true`).onConflictDoNothing(),
      db.insert(chatTags).select(sql`SELECT ${chatId}, ${tags.id} FROM ${tags} WHERE ${inJsonList(tags.key, added)}`).onConflictDoNothing(),
    );
  }
  const after = keys.map((k) => current.find((c) => c.key === k)?.name ?? wanted.get(k)!);
  const event = eventInsert(db, {
    chatId, type: 'tags_changed', actorId: user.id,
    data: { tags: after, added: added.map((k) => wanted.get(k)), removed: removed.map((r) => r.name) }, at: t,
  });
  await runBatch(db, [...writes, event.write]);
  const stored = (await chatTagRows(db, chatId)).map((r) => r.name);
  const changes = await publishAll(deps, [{ kind: 'chat_updated', chatId, reason: 'tags' }, { kind: 'event', chatId, eventId: event.id }]);
  return { eventId: event.id, changes, tags: stored };
}

function chatTagRows(db: Db, chatId: string) {
  return db.select({ id: tags.id, key: tags.key, name: tags.name }).from(chatTags).innerJoin(tags, eq(tags.id, chatTags.tagId))
    .where(eq(chatTags.chatId, chatId)).orderBy(asc(tags.key)).all();
}

/** Known tags for pickers, optionally those starting with `prefix` (case-insensitive), by name. */
export function listTags(db: Db, prefix?: string) {
  const key = prefix ? tagKey(prefix) : '';
  const where = key ? and(gte(tags.key, key), lt(tags.key, key + '\u{10ffff}')) : undefined;
  return db.select({ id: tags.id, name: tags.name }).from(tags).where(where).orderBy(asc(tags.key)).limit(200).all();
}

