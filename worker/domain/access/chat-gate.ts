/**
 * The per-chat gate every chat route and chat action goes through. It asks the one policy
 * (`can`) with the facts of this chat. A chat the user may not even view answers 404, not 403, so an
 * observer cannot probe which chat ids exist; a chat they may view but not change answers 403.
 */
import type { Db } from '../../data/db';
import { loadChatFacts, type ChatFactsRow } from '../../data/chat-queries';
import { can, type ChatAction, type SessionUser } from './policy';
import { forbidden, notFound } from '../../shared/errors';

/** Loads the chat's facts for `user` and throws 404/403 unless the policy allows `action`. */
export async function authorizeChat(db: Db, user: SessionUser, chatId: string, action: ChatAction): Promise<ChatFactsRow> {
  const facts = await loadChatFacts(db, chatId, user.id);
  if (!facts || !can(user, 'chat:view', facts)) throw notFound('Chat');
  if (!can(user, action, facts)) throw forbidden();
  return facts;
}
