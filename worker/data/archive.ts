/**
 * The archive: every chat the user may see, filtered by any combination of status, responsible,
 * integration, channel, tag, last-activity and start ranges, and free text. One newest-activity-first
 * keyset query; SQLite picks the chats index the filters make cheapest (they all end in
 * (last_message_at, id)), and the tag and text filters are semi-joins through their own indexes.
 */
import { eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { ChatListItem } from '../shared/chats';
import type { Db } from './db';
import { pageQuery, toPage, type ListViewer, type PageExtras } from './chat-lists';
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
  const search = filters.q === undefined ? undefined : textSearch(db, filters.q);
  if (search === null) return { items: [], nextCursor: null, truncated: false, olderHistoryNotSearched: false };
  // An observer's walk is over the chats they observe, a small set better sorted than walked.
  const commonTag = filters.tag !== undefined && user.scope === 'all' && walksForTag(filters) && (await tagIsCommon(db, tagKey(filters.tag)));
  const where = [...archiveConditions(filters, commonTag), search?.condition];
  if (!search) return { ...toPage(await pageQuery(db, user, where, after, limit).all(), limit), truncated: false, olderHistoryNotSearched: false };
  const rows = await pageQuery(db, user, where, after, limit, search.extras).all();
  // The counts ride on every row, and a page with extras always has one (the anchor, when no chat is on it).
  const coverage = rows[0] as unknown as CoverageRow;
  return {
    ...toPage(rows, limit),
    truncated: coverage.textHits > TEXT_CANDIDATES || coverage.nameHits > TEXT_CANDIDATES,
    olderHistoryNotSearched: coverage.olderHistory === 1,
  };
}

interface CoverageRow {
  textHits: number;
  nameHits: number;
  olderHistory: number;
}

/**
 * Free text as the page's filter, reading the newest matching messages and contact names (one past the
 * cap) from two common table expressions, and the counts that tell whether either reached the cap. A word
 * found in every other message costs SQLite most of the page in FTS5's merge of the word's (and its
 * prefix's) lists: found once here, where a second statement counting the matches did it again
 * (~2 ms of the bench's common-word page). Null when `q` has no searchable word.
 */
function textSearch(db: Db, q: string): { condition: SQL; extras: PageExtras } | null {
  const text = textMatch(q);
  const name = nameMatch(q);
  if (!text || !name) return null;
  const textHits = db.$with('archive_text_hits', {}).as(sql`SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${text} ORDER BY rowid DESC LIMIT ${limitLiteral(TEXT_CANDIDATES + 1)}`);
  const nameHits = db.$with('archive_name_hits', {}).as(sql`SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ${name} ORDER BY rowid DESC LIMIT ${limitLiteral(TEXT_CANDIDATES + 1)}`);
  // Both sides through FTS (accent-insensitive), newest rows first, each a bounded id set SQLite probes by index.
  const condition = sql`(
      ${chats.id} IN (SELECT messages.chat_id FROM messages WHERE messages.rowid IN (${newestHits('archive_text_hits')}))
      OR ${chats.contactId} IN (SELECT contacts.id FROM contacts WHERE contacts.rowid IN (${newestHits('archive_name_hits')}))
    )`;
  const columns = {
    textHits: sql<number>`(SELECT count(*) FROM archive_text_hits)`.as('text_hits'),
    nameHits: sql<number>`(SELECT count(*) FROM archive_name_hits)`.as('name_hits'),
    olderHistory: sql<number>`EXISTS (SELECT 1 FROM ${archivedHistory})`.as('older_history'),
  };
  return { condition, extras: { ctes: [textHits, nameHits], columns } };
}

/**
 * The newest TEXT_CANDIDATES rowids of a hits table that holds one past the cap: all of them, or all but
 * the oldest when it is full. Sorting them again to take the newest cost the common-word page ~0.2 ms.
 */
function newestHits(table: 'archive_text_hits' | 'archive_name_hits'): SQL {
  const hits = sql.identifier(table);
  return sql`SELECT rowid FROM ${hits} WHERE rowid > coalesce((SELECT min(rowid) FROM ${hits} WHERE (SELECT count(*) FROM ${hits}) > ${TEXT_CANDIDATES}), -1)`;
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

/** Every filter but the free text (textSearch). */
function archiveConditions(f: ArchiveFilters, commonTag: boolean): (SQL | undefined)[] {
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
  return where;
}
