/**
 * One archived part as an R2 object: every column of every message, as D1 returned it, in a gzip JSON
 * document. Keys live under `history/`, which never parses as a media key (`chatOfMediaKey`), so the
 * attachment route cannot serve an archive object to anyone.
 */
import type { messages } from '../../data/schema';

/** A message row exactly as stored in D1 (the round trip test compares every field). */
export type ArchivedMessage = typeof messages.$inferSelect;

interface PartDocument {
  format: 1;
  chatId: string;
  messages: ArchivedMessage[];
}

/** `history/<chat>/<yyyy-mm of the first message>-<first message id>.json.gz`: the same part always gets the same key. */
export function partKey(chatId: string, first: Pick<ArchivedMessage, 'id' | 'createdAt'>): string {
  return `history/${chatId}/${new Date(first.createdAt).toISOString().slice(0, 7)}-${first.id}.json.gz`;
}

/** UTC month of a time, the unit very long chats are cut into. */
export function monthOf(at: number): string {
  return new Date(at).toISOString().slice(0, 7);
}

export async function encodePart(chatId: string, rows: ArchivedMessage[]): Promise<Uint8Array> {
  const doc: PartDocument = { format: 1, chatId, messages: rows };
  const stream = new Blob([JSON.stringify(doc)]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function decodePart(body: ReadableStream, chatId: string): Promise<ArchivedMessage[]> {
  const text = await new Response(body.pipeThrough(new DecompressionStream('gzip'))).text();
  const doc = JSON.parse(text) as PartDocument;
  // A pointer naming another chat's object would leak it: refuse rather than show it.
  if (doc.format !== 1 || doc.chatId !== chatId || !Array.isArray(doc.messages)) throw new Error(`archived part of ${chatId} is not readable`);
  return doc.messages;
}

export async function writePart(bucket: R2Bucket, key: string, chatId: string, rows: ArchivedMessage[]): Promise<number> {
  const body = await encodePart(chatId, rows);
  await bucket.put(key, body, { httpMetadata: { contentType: 'application/json' }, customMetadata: { chatId, messages: String(rows.length) } });
  return body.byteLength;
}

/**
 * Recently read parts, per isolate: paging through an archived chat reads the same object for many
 * pages. Bounded by count and by decoded size so a few huge parts cannot fill the isolate's memory.
 */
const CACHE_PARTS = 8;
const CACHE_PART_MAX_MESSAGES = 2000;
const cache = new Map<string, ArchivedMessage[]>();

/** A part's messages, oldest first; throws when the object is missing (a pointer must never dangle). */
export async function readPart(bucket: R2Bucket, key: string, chatId: string, version: number): Promise<ArchivedMessage[]> {
  const cacheKey = `${key}@${version}`;
  const hit = cache.get(cacheKey);
  if (hit) {
    cache.delete(cacheKey);
    cache.set(cacheKey, hit);
    return hit;
  }
  const object = await bucket.get(key);
  if (!object) throw new Error(`archived part ${key} is missing from R2`);
  const rows = await decodePart(object.body, chatId);
  if (rows.length <= CACHE_PART_MAX_MESSAGES) {
    cache.set(cacheKey, rows);
    if (cache.size > CACHE_PARTS) cache.delete(cache.keys().next().value!);
  }
  return rows;
}
