/**
 * History search inside one chat: FTS5 over message text, scoped by the chat_id column filter, so
 * only that chat's matches are read. Newest first with a keyset cursor; each hit carries the matched
 * excerpt from snippet().
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { SearchHit } from '../shared/chats';
import type { Db } from './db';
import { chatTextMatch } from './fts-query';
import { before, pageOf, type Keyset } from './keyset';
import { messages } from './schema';
import { iso } from './wire-time';

// Control characters cannot come from the tokenizer's output, so they delimit matches unambiguously.
const OPEN = '\u0002';
const CLOSE = '\u0003';
const SNIPPET_TOKENS = 16;

/** Matching messages of one chat, newest first. */
export async function searchChatHistory(db: Db, chatId: string, q: string, after: Keyset, limit: number): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
  const match = chatTextMatch(chatId, q);
  if (!match) return { items: [], nextCursor: null };
  const rows = await db
    .select({
      id: messages.id, direction: messages.direction, authorId: messages.authorId, text: messages.text, createdAt: messages.createdAt,
      snippet: sql<string>`snippet(messages_fts, 0, ${OPEN}, ${CLOSE}, '…', ${SNIPPET_TOKENS})`,
    })
    .from(sql`messages_fts`)
    .innerJoin(messages, sql`${messages}.rowid = messages_fts.rowid`)
    // The unary + keeps SQLite from driving the join off messages_timeline: FTS already scoped it.
    .where(and(sql`messages_fts MATCH ${match}`, sql`+${messages.chatId} = ${chatId}`, before(messages.createdAt, messages.id, after)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit + 1)
    .all();
  const { page, next } = pageOf(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
  return {
    items: page.map((r) => {
      const parts = snippetParts(r.snippet);
      return { id: r.id, direction: r.direction, authorId: r.authorId, text: r.text, createdAt: iso(r.createdAt), parts, snippet: partsToHtml(parts) };
    }),
    nextCursor: next,
  };
}

/** Splits a marked snippet into plain and matched runs. */
export function snippetParts(marked: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  for (const [i, chunk] of marked.split(OPEN).entries()) {
    const [inside, outside] = i === 0 ? [null, chunk] : splitOnce(chunk, CLOSE);
    if (inside) parts.push({ text: inside, match: true });
    if (outside) parts.push({ text: outside, match: false });
  }
  return parts;
}

function splitOnce(s: string, sep: string): [string, string] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, ''] : [s.slice(0, at), s.slice(at + sep.length)];
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c]);

/** Message text is client-controlled: escaped first, then only our own <mark> tags are added. */
export function partsToHtml(parts: { text: string; match: boolean }[]): string {
  return parts.map((p) => (p.match ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text))).join('');
}
