/**
 * History search reaching into a chat's archived parts, once D1's own matches are used up: the hits of
 * the parts read (at most ARCHIVED_PARTS_PER_SEARCH per request) follow D1's, and when parts are left
 * unread the cursor points past the ones read, so the next request goes on where this one stopped.
 */
import type { ArchivedPart } from '../../data/archived-history';
import { partsToHtml } from '../../data/history-search';
import { encodeCursor, type Keyset } from '../../data/keyset';
import { iso } from '../../data/wire-time';
import type { SearchHit } from '../../shared/chats';
import { matchArchivedText, queryTerms, searchArchivedParts } from '../history';

const ARCHIVED_PARTS_PER_SEARCH = 8;

export async function searchHistoryWithArchive(
  bucket: R2Bucket, chatId: string, q: string, after: Keyset, limit: number, live: SearchHit[], parts: ArchivedPart[],
): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
  const terms = queryTerms(q);
  if (!terms) return { items: live, nextCursor: null };
  const reading = parts.slice(0, ARCHIVED_PARTS_PER_SEARCH);
  const found = await searchArchivedParts(bucket, chatId, reading, after, limit + 1 - live.length, (m) => matchArchivedText(m.text, terms), parts.length > reading.length);
  const archived: SearchHit[] = found.hits.map(({ message: m, match: parts }) => ({
    id: m.id, direction: m.direction, authorId: m.authorId, text: m.text, createdAt: iso(m.createdAt), parts, snippet: partsToHtml(parts),
  }));
  const items = [...live, ...archived];
  if (items.length > limit) {
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: encodeCursor({ at: Date.parse(last.createdAt), id: last.id }) };
  }
  return { items, nextCursor: found.exhausted || !found.resumeAt ? null : encodeCursor(found.resumeAt) };
}
