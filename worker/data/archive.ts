/**
 * The archive: every chat the user may see, filtered by any combination of status, responsible,
 * integration, channel, tag, last-activity and start ranges, and free text. One newest-activity-first
 * keyset query; SQLite picks the chats index the filters make cheapest (they all end in
 * (last_message_at, id)), and the tag and text filters are semi-joins through their own indexes.
 */
import { and, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { ChatListItem } from '../shared/chats';
import type { Db } from './db';
import { pageQuery, toPage, type ListViewer } from './chat-lists';
import { batchableRun } from './db';
import { nameMatch, textMatch } from './fts-query';
import type { Keyset } from './keyset';
import { archivedHistory, chats, chatTags, tags } from './schema';
import { tagKey } from './tag-key';
import { tagIsCommon } from './tag-spread';
import { limitLiteral } from './inline-limits';

export interface ArchiveFilters {
  status?: 'open' | 'closed';
  /** A user id, or "none" for unassigned chats. */
  responsibleId?: string;
  integrationId?: string;
  channel?: string;
  tag?: string;
  /** Last activity in [from, to), epoch ms. */
  from?: number;
  to?: number;
  /** Started in [startedFrom, startedTo), epoch ms. */
  startedFrom?: number;
  startedTo?: number;
  q?: string;
}

/**
 * Free text looks at this many of the newest matching messages, and as many matching contacts. A word
 * found in most chats would otherwise make every page sort tens of thousands of candidates; past the
 * cap the answer says `truncated` and the person adds a word or a filter.
 */
export const TEXT_CANDIDATES = 2000;

/**
 * One archive page. Free text with no searchable word matches nothing rather than everything. Free text
 * covers the messages D1 holds; `olderHistoryNotSearched` says some chats' older history is archived in
 * R2 and was not searched (their contact names were; a chat's own history search reaches it).
 */
export async function searchArchive(db: Db, user: ListViewer, filters: ArchiveFilters, after: Keyset, limit: number): Promise<{ items: ChatListItem[]; nextCursor: string | null; truncated: boolean; olderHistoryNotSearched: boolean }> {
  // An observer's walk is over the chats they observe, a small set better sorted than walked.
  const commonTag = filters.tag !== undefined && user.scope === 'all' && walksForTag(filters) && (await tagIsCommon(db, tagKey(filters.tag)));
  const where = archiveConditions(filters, commonTag);
  if (where === null) return { items: [], nextCursor: null, truncated: false, olderHistoryNotSearched: false };
  const page = pageQuery(db, user, where, after, limit);
  if (filters.q === undefined) return { ...toPage(await page.all(), limit), truncated: false, olderHistoryNotSearched: false };
  // One round trip for the page and what its text search covered: as two, the bench's common-word page
  // took ~2 ms longer (p50 19.3 → 17.2 ms over 100k chats).
  const [rows, coverage] = await db.batch([page, batchableRun(db, textCoverage(filters.q))]);
  const [row] = (coverage as unknown as { results: CoverageRow[] }).results;
  return { ...toPage(rows, limit), truncated: row.messages > TEXT_CANDIDATES || row.contacts > TEXT_CANDIDATES, olderHistoryNotSearched: row.archived === 1 };
}

interface CoverageRow {
  messages: number;
  contacts: number;
  archived: number;
}

/**
 * How many of each candidate set of `q` there are, up to one past the cap (a bounded count), and whether
 * any history lives in R2 (one probe of a primary key), in one statement.
 */
function textCoverage(q: string): SQL {
  return sql`SELECT
    (SELECT count(*) FROM (SELECT 1 FROM messages_fts WHERE messages_fts MATCH ${textMatch(q)} LIMIT ${limitLiteral(TEXT_CANDIDATES + 1)})) AS messages,
    (SELECT count(*) FROM (SELECT 1 FROM contacts_fts WHERE contacts_fts MATCH ${nameMatch(q)} LIMIT ${limitLiteral(TEXT_CANDIDATES + 1)})) AS contacts,
    EXISTS (SELECT 1 FROM ${archivedHistory}) AS archived`;
}

/**
 * Whether a common tag's chats are best found by walking the newest-first activity index: only when
 * nothing else filters the walk. With other filters SQLite walks their index and reads each chat's row
 * to check the rest, and a tag probe on top made the bench's closed + telegram + VIP page 2.6× slower
 * than sorting the tagged chats.
 */
function walksForTag(f: ArchiveFilters): boolean {
  return f.status === undefined && f.responsibleId === undefined && f.integrationId === undefined && f.channel === undefined
    && f.startedFrom === undefined && f.startedTo === undefined && f.q === undefined;
}

function archiveConditions(f: ArchiveFilters, commonTag: boolean): (SQL | undefined)[] | null {
  const where: (SQL | undefined)[] = [];
  if (f.status) where.push(eq(chats.status, f.status));
  if (f.responsibleId) where.push(f.responsibleId === 'none' ? isNull(chats.responsibleId) : eq(chats.responsibleId, f.responsibleId));
  if (f.integrationId) where.push(eq(chats.integrationId, f.integrationId));
  if (f.channel) where.push(eq(chats.channel, f.channel));
  if (f.tag !== undefined) {
    const tagId = sql`(SELECT ${tags.id} FROM ${tags} WHERE ${tags.key} = ${tagKey(f.tag)})`;
    // A common tag: probe each chat of the walk (tag-spread.ts); a rare one: its few chats, then sort.
    where.push(commonTag
      ? sql`EXISTS (SELECT 1 FROM ${chatTags} WHERE ${chatTags.chatId} = ${chats.id} AND ${chatTags.tagId} = ${tagId})`
      : sql`${chats.id} IN (SELECT ${chatTags.chatId} FROM ${chatTags} WHERE ${chatTags.tagId} = ${tagId})`);
  }
  if (f.from !== undefined) where.push(gte(chats.lastMessageAt, f.from));
  if (f.to !== undefined) where.push(lt(chats.lastMessageAt, f.to));
  if (f.startedFrom !== undefined) where.push(gte(chats.startedAt, f.startedFrom));
  if (f.startedTo !== undefined) where.push(lt(chats.startedAt, f.startedTo));
  if (f.q !== undefined) {
    const text = textMatch(f.q);
    const name = nameMatch(f.q);
    if (!text || !name) return null;
    // Both sides go through FTS (accent-insensitive), newest rows first, each a bounded id set SQLite probes by index.
    where.push(sql`(
      ${chats.id} IN (SELECT messages.chat_id FROM messages WHERE messages.rowid IN (
        SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${text} ORDER BY rowid DESC LIMIT ${limitLiteral(TEXT_CANDIDATES)}))
      OR ${chats.contactId} IN (SELECT contacts.id FROM contacts WHERE contacts.rowid IN (
        SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ${name} ORDER BY rowid DESC LIMIT ${limitLiteral(TEXT_CANDIDATES)}))
    )`);
  }
  return where;
}
