/**
 * Chats whose history is old enough to leave D1, built the real way (client texts through ingest, a
 * manager's reply through the outbox's store, the close action), and the reads tests compare before and
 * after a move: every stored column of every message, and the whole timeline as the API pages it.
 */
import { env } from 'cloudflare:workers';
import { asc, eq } from 'drizzle-orm';
import type { SessionUser } from '../../worker/domain/access';
import { closeChat, readTimeline } from '../../worker/domain/chats';
import { postAgentMessage } from '../../worker/domain/outbound';
import { archiveProgress, messages } from '../../worker/data/schema';
import type { TimelineItem } from '../../worker/shared/chats';
import { makeChat, setupAdmin } from './chat-world';
import { db } from './factory';

export const DAY = 24 * 3600 * 1000;
/** "Now" for the moves: 2026-12-01. */
export const NOW = Date.UTC(2026, 11, 1);
/** Well past a 12-month retention. */
export const LONG_AGO = Date.UTC(2025, 3, 10);

/** A chat of client texts from `at` (1 ms apart), a manager's reply after them, closed a day after. */
export async function closedChat(texts: string[], at = LONG_AGO, opts: { reply?: string } = {}) {
  const admin = await setupAdmin();
  const chat = await makeChat({ texts, at, responsibleId: null });
  if (opts.reply !== undefined) await postAgentMessage({ db: db(), now: () => at + texts.length }, { chatId: chat.chatId, authorId: admin.id, text: opts.reply });
  await closeChat({ db: db(), now: () => at + DAY }, admin, chat.chatId);
  return { ...chat, admin };
}

/** Every column of every message D1 holds for the chat, oldest first. */
export function storedMessages(chatId: string) {
  return db().select().from(messages).where(eq(messages.chatId, chatId)).orderBy(asc(messages.createdAt), asc(messages.id)).all();
}

/** The whole timeline as a client pages it (`limit` items a page), oldest first. */
export async function wholeTimeline(user: SessionUser, chatId: string, limit = 2): Promise<TimelineItem[]> {
  const pages: TimelineItem[][] = [];
  let before: string | undefined;
  do {
    const page = await readTimeline({ db: db(), media: env.MEDIA }, user, chatId, before, limit);
    pages.push(page.items);
    before = page.nextBefore ?? undefined;
  } while (before);
  return pages.reverse().flat();
}

/** Starts the move's walk over from the oldest closed chat (tests share one database per file). */
export async function resetArchiveWalk() {
  await db().delete(archiveProgress);
}
