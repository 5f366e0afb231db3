/**
 * Ponte's whole relational model. Times are integer milliseconds since the epoch (sortable, compact);
 * the HTTP layer turns them into ISO strings. Ids are time-ordered strings from worker/shared/ids.ts
 * (`newId()`; people, bots and a new client's rows have shorter ones, which sort apart from the rest).
 *
 * Sized for 100k chats / 1M messages: every inbox list is a keyset scan of one index ending in
 * (last_message_at, id), and the timeline is a keyset scan of (chat_id, created_at, id).
 */
export * from './people';
export * from './bots';
export * from './contacts';
export * from './chats';
export * from './messages';
export * from './crm';
export * from './canned';
export * from './mentions';
export * from './history';
export * from './reports';
export * from './csat';
