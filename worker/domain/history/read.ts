/**
 * Reading archived history back: the timeline's older pages and history search come from the R2 parts
 * the pointers name, merged with what D1 still holds. Archived messages are older than every message
 * left in D1 (a chat's oldest messages move first, and a message written later is newer), but the merge
 * never relies on it: it orders by (created_at, id) and drops an id D1 already returned.
 */
import type { ArchivedPart } from '../../data/archived-history';
import type { Keyset } from '../../data/keyset';
import { readPart, type ArchivedMessage } from './part-object';

const isBefore = (m: { createdAt: number; id: string }, k: Keyset) => m.createdAt < k.at || (m.createdAt === k.at && m.id < k.id);
const newestFirst = (a: ArchivedMessage, b: ArchivedMessage) => (a.createdAt !== b.createdAt ? b.createdAt - a.createdAt : a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * Up to `need` archived messages strictly before `before`, newest first, from `parts` (newest first, as
 * archivedPartsBefore returns them). `skip` holds ids the caller already has from D1.
 */
export async function archivedMessagesBefore(bucket: R2Bucket, chatId: string, parts: ArchivedPart[], before: Keyset, need: number, skip: Set<string> = new Set()): Promise<ArchivedMessage[]> {
  const out: ArchivedMessage[] = [];
  for (const part of parts) {
    if (out.length >= need) break;
    const rows = await readPart(bucket, part.objectKey, chatId, part.archivedAt);
    for (const m of rows) if (isBefore(m, before) && !skip.has(m.id)) out.push(m);
  }
  return out.sort(newestFirst).slice(0, need);
}

/**
 * Archived messages strictly before `before` that `match` accepts, newest first, reading parts until
 * `need` are found. `exhausted` is false when parts remain (more than one request may read): the caller
 * then continues from `resumeAt`, the oldest position read.
 */
export async function searchArchivedParts<T>(
  bucket: R2Bucket, chatId: string, parts: ArchivedPart[], before: Keyset, need: number, match: (m: ArchivedMessage) => T | null,
  morePartsExist: boolean,
): Promise<{ hits: { message: ArchivedMessage; match: T }[]; exhausted: boolean; resumeAt: Keyset | null }> {
  const hits: { message: ArchivedMessage; match: T }[] = [];
  let read = 0;
  let resumeAt: Keyset | null = null;
  for (const part of parts) {
    if (hits.length >= need) break;
    const rows = await readPart(bucket, part.objectKey, chatId, part.archivedAt);
    for (const m of rows) {
      if (!isBefore(m, before)) continue;
      const found = match(m);
      if (found !== null) hits.push({ message: m, match: found });
    }
    read += 1;
    resumeAt = { at: part.firstAt, id: part.firstId };
  }
  hits.sort((a, b) => newestFirst(a.message, b.message));
  return { hits, exhausted: read === parts.length && !morePartsExist, resumeAt };
}
