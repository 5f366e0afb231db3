/**
 * The chats this isolate last saw take a client's message on the hot path (known-chat.ts). For them the
 * hot batch leaves out what only the full path reads (the integration's row, the dedup row, contact, chat,
 * first stage and the new chat's queue): six statements of ten, on every message of a busy chat. A chat not in here (new to this isolate,
 * a new client) keeps them, so its fallback to the full path still costs no extra round trip; a chat
 * wrongly in here (closed since, replayed) costs one read more, once, and is forgotten.
 *
 * A hint, never a fact: every write still checks D1. Bounded (the least recently noted forgotten first), per isolate.
 */
export const MAX_SEEN_OPEN_CHATS = 20_000;

const seen = new Map<string, true>();
const keyOf = (integrationId: string, externalChatId: string) => `${integrationId}\u0000${externalChatId}`;

export function seenOpen(integrationId: string, externalChatId: string): boolean {
  return seen.has(keyOf(integrationId, externalChatId));
}

/** The hot path just stored a message in this chat: its next one will most likely take it too. */
export function noteOpen(integrationId: string, externalChatId: string): void {
  const key = keyOf(integrationId, externalChatId);
  // Re-inserted so the Map's order is least recently used first.
  seen.delete(key);
  seen.set(key, true);
  if (seen.size > MAX_SEEN_OPEN_CHATS) seen.delete(seen.keys().next().value!);
}

export function forgetOpen(integrationId: string, externalChatId: string): void {
  seen.delete(keyOf(integrationId, externalChatId));
}

/** How many chats are kept (for tests of the bound). */
export function seenOpenCount(): number {
  return seen.size;
}
