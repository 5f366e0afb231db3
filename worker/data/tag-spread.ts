/**
 * Whether a tag is on enough of the chats to choose how the archive's tag filter runs: for a rare tag,
 * list its chats through chat_tags_tag and sort those (a few rows); for a common one, walk the chats
 * newest first and probe chat_tags per chat (a small covering index), which fills a page after about
 * share × page probes instead of reading and sorting every tagged chat (the bench's VIP tag, on 1 chat in
 * 40 of 100k: 2,500 chat rows read and sorted for each page). Either way the answer is the same; only the
 * speed depends on this, so an isolate keeps it a minute.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './db';
import { chatCounts, chatTags, tags } from './schema';
import { limitLiteral } from './inline-limits';

/** On at least one chat in this many, a tag counts as common (a page then costs ~100 × 50 probes at most on average). */
export const COMMON_SHARE = 100;
/** Counting stops here: past it a tag is common at any size a D1 database holds. */
const COUNT_CAP = 10_000;
const TTL_MS = 60_000;
/** Bounded: a tag key is one of an admin's tags, but the filter takes any text. */
const MAX_KEYS = 256;

const remembered = new Map<string, { common: boolean; at: number }>();

export async function tagIsCommon(db: Db, key: string, now = Date.now()): Promise<boolean> {
  const hit = remembered.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.common;
  const [row] = await db.all<{ tagged: number; total: number }>(sql`SELECT
    (SELECT count(*) FROM (SELECT 1 FROM ${chatTags} WHERE ${chatTags.tagId} = (SELECT ${tags.id} FROM ${tags} WHERE ${tags.key} = ${key}) LIMIT ${limitLiteral(COUNT_CAP)})) AS tagged,
    (SELECT coalesce(sum(${chatCounts.n}), 0) FROM ${chatCounts} WHERE ${chatCounts.viewer} = '') AS total`);
  const tagged = Number(row?.tagged ?? 0);
  const common = tagged >= COUNT_CAP || (tagged > 0 && tagged * COMMON_SHARE >= Number(row?.total ?? 0));
  if (remembered.size >= MAX_KEYS) remembered.clear();
  remembered.set(key, { common, at: now });
  return common;
}
