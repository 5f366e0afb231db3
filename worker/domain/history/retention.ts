/**
 * The retention setting: how many months after a chat is closed its messages leave D1 for R2. An
 * administrator sets it in Settings (archive_settings); until then `ARCHIVE_AFTER_MONTHS` from
 * wrangler.toml's [vars] decides. 0 keeps every message in D1.
 */
import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { archivedHistory, archiveSettings } from '../../data/schema';
import type { HistorySettings } from '../../shared/history-wire';

export const MAX_ARCHIVE_AFTER_MONTHS = 120;
/** When the var is missing or not a whole number of months in range. */
export const FALLBACK_ARCHIVE_AFTER_MONTHS = 12;

/** `ARCHIVE_AFTER_MONTHS` as a number of months; anything unusable falls back to 12 rather than archiving early. */
export function defaultRetentionMonths(value: string | undefined): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= MAX_ARCHIVE_AFTER_MONTHS ? n : FALLBACK_ARCHIVE_AFTER_MONTHS;
}

/** The months in force: the administrator's, else the default. */
export async function retentionMonths(db: Db, defaultMonths: number): Promise<number> {
  const row = await db.select({ months: archiveSettings.archiveAfterMonths }).from(archiveSettings).where(eq(archiveSettings.id, 1)).get();
  return row?.months ?? defaultMonths;
}

/** The setting as Settings shows it, with how much history has left D1 so far. */
export async function historySettings(db: Db, defaultMonths: number): Promise<HistorySettings> {
  const [[row], [moved]] = await db.batch([
    db.select({ months: archiveSettings.archiveAfterMonths }).from(archiveSettings).where(eq(archiveSettings.id, 1)),
    db.select({ parts: count(), chats: sql<number>`count(DISTINCT ${archivedHistory.chatId})`, messages: sql<number>`coalesce(sum(${archivedHistory.messageCount}), 0)`, bytes: sql<number>`coalesce(sum(${archivedHistory.bytes}), 0)` }).from(archivedHistory),
  ]);
  return {
    archiveAfterMonths: row?.months ?? defaultMonths,
    defaultMonths,
    source: row ? 'settings' : 'default',
    archived: { chats: moved.chats, messages: moved.messages, objects: moved.parts, bytes: moved.bytes },
  };
}

/** Sets the months (the caller checked the administrator); `null` goes back to the default. */
export async function setRetentionMonths(db: Db, userId: string, months: number | null, now: number): Promise<void> {
  if (months === null) {
    await db.delete(archiveSettings).where(eq(archiveSettings.id, 1));
    return;
  }
  await db.insert(archiveSettings).values({ id: 1, archiveAfterMonths: months, updatedAt: now, updatedBy: userId })
    .onConflictDoUpdate({ target: archiveSettings.id, set: { archiveAfterMonths: months, updatedAt: now, updatedBy: userId } });
}
