/** Pointers to a chat's archived history (R2 parts), read alongside its D1 rows in the same batch. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from './db';
import type { Keyset } from './keyset';
import { archivedHistory } from './schema';

/** Parts one request may read: a page needs one or two; history search stops here and hands a cursor on. */
export const POINTERS_PER_READ = 16;

/** The chat's parts that hold anything strictly before `before`, newest first. */
export function archivedPartsBefore(db: Db, chatId: string, before: Keyset) {
  return db
    .select({ objectKey: archivedHistory.objectKey, firstAt: archivedHistory.firstAt, firstId: archivedHistory.firstId, lastAt: archivedHistory.lastAt, lastId: archivedHistory.lastId, archivedAt: archivedHistory.archivedAt })
    .from(archivedHistory)
    .where(and(eq(archivedHistory.chatId, chatId), sql`(${archivedHistory.firstAt}, ${archivedHistory.firstId}) < (${before.at}, ${before.id})`))
    .orderBy(desc(archivedHistory.lastAt), desc(archivedHistory.lastId))
    .limit(POINTERS_PER_READ);
}

export type ArchivedPart = Awaited<ReturnType<typeof archivedPartsBefore>>[number];
