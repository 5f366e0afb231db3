/**
 * Moves one chat's oldest messages to R2, one part at a time. Each part is:
 *   1. read the rows (with a per-row fingerprint SQLite computes) in one D1 batch;
 *   2. write the gzip object to R2 (overwriting a copy a crashed run left: same part, same key);
 *   3. one D1 batch — the pointer, the archived client message ids, the delete — guarded so it lands
 *      only if the range still holds exactly the rows written (count and fingerprint) and the chat is
 *      still closed past the cutoff.
 * A crash between 2 and 3 leaves the D1 rows and no pointer: reads see the D1 copy only, and the next
 * run writes the same object again and finishes. The pointer and the delete are one transaction, so a
 * message is never in both places as far as a reader can tell, and never in neither.
 */
import { asc, count, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../data/db';
import { messageCode, messages, statusCodes } from '../../data/schema';
import { monthOf, partKey, writePart, type ArchivedMessage } from './part-object';

export interface MoveDeps {
  db: Db;
  bucket: R2Bucket;
  /** A test seam: runs after the R2 write and before the D1 batch, where a dying Worker would stop. */
  afterObjectWritten?: (key: string) => void | Promise<void>;
}

export interface ChatMove {
  parts: number;
  messages: number;
  /**
   * Why it stopped: `done` (no message left in D1), `budget` (the next part does not fit in the run's
   * budget), `refused` (the range changed under the move, or the chat reopened: a later run tries again).
   */
  ended: 'done' | 'budget' | 'refused';
}

/**
 * Any change to a row in the range (an edit, a receipt, a stored file, a retry) changes this sum, so the
 * guarded batch refuses to delete rows that differ from the copy just written.
 */
const rowFingerprint = sql<number>`(length(${messages.text}) + 3 * length(${messages.attachments}) + 5 * coalesce(length(${messages.error}), 0)
  + 7 * coalesce(length(${messages.externalId}), 0) + 11 * ${messages.attempts} + 13 * ${messages.sentParts}
  + coalesce(${messages.editedAt}, 0) % 1000003 + coalesce(${messages.nextAttemptAt}, 0) % 999983
  + 17 * instr(${sql.raw(`'${Object.values(statusCodes).join('')}'`)}, ${messages.status}) + coalesce(length(${messages.authorId}), 0))`;

/** Moves whole parts of `chatId` while they fit in `budget` messages; stops at the first that does not. */
export async function moveChatHistory(deps: MoveDeps, chatId: string, cutoff: number, now: number, budget: number, partMessages: number): Promise<ChatMove> {
  const done: ChatMove = { parts: 0, messages: 0, ended: 'done' };
  for (;;) {
    const part = await nextPart(deps.db, chatId, partMessages);
    if (!part) return done;
    if (part.rows.length > budget - done.messages) return { ...done, ended: 'budget' };
    const moved = await movePart(deps, chatId, part, cutoff, now);
    if (!moved) return { ...done, ended: 'refused' };
    done.parts += 1;
    done.messages += part.rows.length;
  }
}

interface Part {
  rows: ArchivedMessage[];
  fingerprint: number;
}

/** The chat's oldest part: all of it when it is short, else its oldest month (cut at `partMessages`). */
async function nextPart(db: Db, chatId: string, partMessages: number): Promise<Part | null> {
  const [[total], read] = await db.batch([
    db.select({ n: count() }).from(messages).where(eq(messages.chatId, chatId)),
    db.select({ ...getTableColumns(messages), fp: rowFingerprint }).from(messages).where(eq(messages.chatId, chatId))
      .orderBy(asc(messages.createdAt), asc(messages.id)).limit(partMessages),
  ]);
  if (read.length === 0) return null;
  const month = monthOf(read[0].createdAt);
  const taken = total.n <= partMessages ? read : read.filter((r) => monthOf(r.createdAt) === month);
  let fingerprint = 0;
  const rows = taken.map(({ fp, ...row }) => {
    fingerprint += Number(fp);
    return row;
  });
  return { rows, fingerprint };
}

async function movePart(deps: MoveDeps, chatId: string, part: Part, cutoff: number, now: number): Promise<boolean> {
  const first = part.rows[0];
  const last = part.rows[part.rows.length - 1];
  const key = partKey(chatId, first);
  const bytes = await writePart(deps.bucket, key, chatId, part.rows);
  await deps.afterObjectWritten?.(key);

  const range = sql`${messages.chatId} = ${chatId} AND (${messages.createdAt}, ${messages.id}) >= (${first.createdAt}, ${first.id}) AND (${messages.createdAt}, ${messages.id}) <= (${last.createdAt}, ${last.id})`;
  const ours = sql`EXISTS (SELECT 1 FROM archived_history WHERE object_key = ${key} AND archived_at = ${now})`;
  const pointer = sql`INSERT INTO archived_history (object_key, chat_id, first_at, first_id, last_at, last_id, message_count, bytes, archived_at)
    SELECT ${key}, ${chatId}, ${first.createdAt}, ${first.id}, ${last.createdAt}, ${last.id}, ${part.rows.length}, ${bytes}, ${now}
    WHERE (SELECT count(*) FROM messages WHERE ${range}) = ${part.rows.length}
      AND (SELECT total(${rowFingerprint}) FROM messages WHERE ${range}) = ${part.fingerprint}
      AND EXISTS (SELECT 1 FROM chats WHERE id = ${chatId} AND status = 'closed' AND closed_at < ${cutoff})
    ON CONFLICT (object_key) DO UPDATE SET first_at = excluded.first_at, first_id = excluded.first_id, last_at = excluded.last_at,
      last_id = excluded.last_id, message_count = excluded.message_count, bytes = excluded.bytes, archived_at = excluded.archived_at`;
  const keys = sql`INSERT INTO archived_message_keys (chat_id, external_id)
    SELECT chat_id, external_id FROM messages WHERE ${range} AND direction = ${messageCode('direction', 'in')} AND external_id IS NOT NULL AND ${ours}
    ON CONFLICT DO NOTHING`;
  const remove = sql`DELETE FROM messages WHERE ${range} AND ${ours}`;
  const landed = sql`SELECT ${ours} AS moved`;
  // meta.changes would count the FTS trigger's rows too: whether our pointer landed says it all.
  const results = await deps.db.$client.batch([pointer, keys, remove, landed].map((q) => prepared(deps.db, q)));
  if ((results[3].results[0] as { moved: number } | undefined)?.moved === 1) return true;
  // Refused: no pointer names the object, so it is an orphan; the next attempt writes it again.
  await deps.bucket.delete(key).catch(() => undefined);
  return false;
}

/** A raw statement with its parameters bound, for D1's own batch (one transaction). */
function prepared(db: Db, query: SQL): D1PreparedStatement {
  const { sql: text, params } = db.run(query).getQuery();
  return db.$client.prepare(text).bind(...params);
}
