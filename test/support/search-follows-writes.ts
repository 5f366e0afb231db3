/**
 * After a migration rebuilds the message search index: a message inserted, edited and deleted through
 * the ordinary writes is found, re-found under its new text and forgotten, and FTS5's own integrity
 * check agrees with the table (the index is external content, kept by the unchanged triggers).
 */
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { SessionUser } from '../../worker/domain/access';
import { searchHistory } from '../../worker/domain/chats';
import { messages } from '../../worker/data/schema';
import { newId } from '../../worker/shared/ids';
import { db } from './factory';

export async function expectSearchFollowsWrites(user: SessionUser, chatId: string): Promise<void> {
  const find = async (q: string) => (await searchHistory(db(), user, chatId, q, undefined, 20)).items.map((i) => i.id);
  const id = newId();
  await db().insert(messages).values({ id, chatId, direction: 'out', origin: 'agent', authorId: user.id, text: 'poltrona reservada', status: 'sent', createdAt: Date.now() });
  expect(await find('poltrona')).toEqual([id]);
  await db().update(messages).set({ text: 'cadeira reservada' }).where(eq(messages.id, id));
  expect(await find('poltrona')).toEqual([]);
  expect(await find('cadeira')).toEqual([id]);
  await db().delete(messages).where(eq(messages.id, id));
  expect(await find('cadeira')).toEqual([]);
  await env.DB.prepare(`INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')`).run();
}
