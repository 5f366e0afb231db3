/**
 * The one per-chat gate: every chat route, chat action, CRM read through a chat, live route and live
 * object goes through it, and it asks the one policy (`can`) with the facts of this chat. A chat the
 * user may not even view is "not found", not "forbidden", so an observer cannot probe which chat ids
 * exist; a chat they may view but not change is "forbidden".
 */
import type { Db } from '../../data/db';
import { chatObserverIds, loadChatFacts, type ChatFactsRow } from '../../data/chat-queries';
import { can, type ChatAction, type ChatFacts, type SessionUser } from './policy';
import { forbidden, notFound } from '../../shared/errors';

export type ChatVerdict = 'ok' | 'not_found' | 'forbidden';

/** The gate itself: what `user` gets for `actions` on a chat with these facts (undefined: no such chat). */
export function gateChat(user: SessionUser, facts: ChatFacts | undefined, ...actions: ChatAction[]): ChatVerdict {
  if (!facts || !can(user, 'chat:view', facts)) return 'not_found';
  return actions.every((action) => can(user, action, facts)) ? 'ok' : 'forbidden';
}

/** The facts of a chat whose observers are known (the live objects keep them). */
export const factsFromObservers = (user: SessionUser, observerIds: readonly string[]): ChatFacts => ({ observedByUser: observerIds.includes(user.id) });

/** Loads the chat's facts for `user` and throws 404/403 unless the gate lets every one of `actions` through. */
export async function authorizeChat(db: Db, user: SessionUser, chatId: string, ...actions: [ChatAction, ...ChatAction[]]): Promise<ChatFactsRow> {
  return requireChat(user, await loadChatFacts(db, chatId, user.id), ...actions);
}

/** authorizeChat on facts already read (chatFactsQuery in a batch with the reads they guard): throws 404/403. */
export function requireChat(user: SessionUser, facts: ChatFactsRow | undefined, ...actions: [ChatAction, ...ChatAction[]]): ChatFactsRow {
  const verdict = gateChat(user, facts, ...actions);
  if (verdict === 'not_found') throw notFound('Chat');
  if (verdict === 'forbidden') throw forbidden();
  return facts!;
}

/** The same gate for opening a chat's live view; answers the observers the chat room starts from. */
export async function authorizeChatRoom(db: Db, user: SessionUser, chatId: string): Promise<{ observerIds: string[] }> {
  await authorizeChat(db, user, chatId, 'chat:view');
  return { observerIds: await chatObserverIds(db, chatId) };
}

/** Whether a live viewer may see a chat with these observers. */
export function maySee(viewer: SessionUser, observerIds: readonly string[]): boolean {
  return gateChat(viewer, factsFromObservers(viewer, observerIds)) === 'ok';
}

/** Typing is part of replying: read-only viewers (observers) may watch but not type. */
export function mayType(viewer: SessionUser, observerIds: readonly string[]): boolean {
  return gateChat(viewer, factsFromObservers(viewer, observerIds), 'chat:reply') === 'ok';
}
