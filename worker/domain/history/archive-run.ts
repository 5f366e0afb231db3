/**
 * The hourly move of cold history (the Cron Trigger): chats closed longer than the retention, oldest
 * activity first, have their messages moved to R2 part by part (move-chat.ts). Bounded per run: at most
 * `chats` chats and `messages` messages move, and at most `scanChats` closed chats are looked at (the
 * walk resumes where the last run stopped, archive_progress), so a run's D1 work, memory and time stay
 * flat however much history waits; a backlog drains over the following runs.
 */
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import { archiveProgress, chats } from '../../data/schema';
import { moveChatHistory, type MoveDeps } from './move-chat';

export interface ArchiveLimits {
  /** Chats whose history moves in one run (K). */
  chats: number;
  /** Messages moved in one run (M); parts are whole, so a run stops before the part that would pass it. */
  messages: number;
  /** Messages in one R2 object: a chat up to this size is one object, a longer one goes by month. */
  partMessages: number;
  /** Closed chats looked at in one run. */
  scanChats: number;
}

/**
 * K = 50 chats and M = 5,000 messages: a part is read in one query of at most 1,000 rows (a few MB even
 * at Telegram's 4,096-character maximum), every statement binds at most ~30 parameters (the batch moves a
 * range, never a list of ids), and 5,000 messages an hour is 120k a day, three times what a team writing
 * 15M messages a year produces.
 */
export const ARCHIVE_LIMITS: ArchiveLimits = { chats: 50, messages: 5000, partMessages: 1000, scanChats: 1000 };

export interface ArchiveReport {
  chats: number;
  parts: number;
  messages: number;
  scanned: number;
}

/** The cutoff for "closed longer than `months` months" (calendar months, UTC). */
export function retentionCutoff(now: number, months: number): number {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}

/** One run of the move; `months` 0 = history stays in D1. */
export async function archiveColdHistory(deps: MoveDeps & { now?: () => number }, months: number, limits: ArchiveLimits = ARCHIVE_LIMITS): Promise<ArchiveReport> {
  const report: ArchiveReport = { chats: 0, parts: 0, messages: 0, scanned: 0 };
  if (months <= 0) return report;
  const now = deps.now ? deps.now() : Date.now();
  const cutoff = retentionCutoff(now, months);
  const { db } = deps;
  const start = await db.select().from(archiveProgress).where(eq(archiveProgress.id, 1)).get();
  let after = start ? { at: start.afterAt, id: start.afterId } : FROM_START;

  const rows = await db
    .select({
      id: chats.id, at: chats.lastMessageAt,
      due: sql<number>`${chats.closedAt} < ${cutoff}`,
      // Spelled out: inside a subquery drizzle would leave the columns unqualified.
      has: sql<number>`EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = chats.id)`,
    })
    .from(chats)
    .where(and(eq(chats.status, 'closed'), lt(chats.lastMessageAt, cutoff), sql`(${chats.lastMessageAt}, ${chats.id}) > (${after.at}, ${after.id})`))
    .orderBy(asc(chats.lastMessageAt), asc(chats.id))
    .limit(limits.scanChats);
  report.scanned = rows.length;

  let stopped = false;
  for (const row of rows) {
    if (row.due && row.has) {
      if (report.chats >= limits.chats || report.messages >= limits.messages) {
        stopped = true;
        break;
      }
      const moved = await moveChatHistory(deps, row.id, cutoff, now, limits.messages - report.messages, limits.partMessages);
      if (moved.parts > 0) report.chats += 1;
      report.parts += moved.parts;
      report.messages += moved.messages;
      if (moved.ended === 'budget') {
        // Come back to this chat first next run (the cursor stays before it).
        stopped = true;
        break;
      }
    }
    after = { at: row.at, id: row.id };
  }
  // Walked past the last closed chat before the cutoff: the next run starts from the oldest again.
  const next = !stopped && rows.length < limits.scanChats ? FROM_START : after;
  await db.insert(archiveProgress).values({ id: 1, afterAt: next.at, afterId: next.id, updatedAt: now })
    .onConflictDoUpdate({ target: archiveProgress.id, set: { afterAt: next.at, afterId: next.id, updatedAt: now } });
  return report;
}

const FROM_START = { at: -1, id: '' };
