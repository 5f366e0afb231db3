/**
 * The single access policy of Ponte. Every route and every live socket asks `can()`; anything not
 * listed here is denied. Roles: admin (everything), employee (all chats and CRM), observer (only
 * chats they observe, read-only).
 */
import type { Role } from '../../data/schema';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** Actions on one chat. */
export const chatActions = [
  'chat:view', 'chat:reply', 'chat:close', 'chat:reopen', 'chat:assign', 'chat:observers', 'chat:tags',
  'chat:comment', 'chat:link', 'chat:mute', 'chat:crm',
] as const;
export type ChatAction = (typeof chatActions)[number];

/** Actions that are not about one chat. */
export const globalActions = [
  'users:list', 'users:manage', 'integrations:list', 'integrations:manage', 'funnels:list', 'funnels:manage',
  'crm:view', 'crm:write', 'chats:list',
] as const;
export type GlobalAction = (typeof globalActions)[number];

export type Action = ChatAction | GlobalAction;

/** What the policy needs to know about a chat: only whether this user observes it. */
export interface ChatFacts {
  observedByUser: boolean;
}

const employeeGlobal: ReadonlySet<GlobalAction> = new Set([
  'users:list', 'integrations:list', 'funnels:list', 'crm:view', 'crm:write', 'chats:list',
]);
// Observers read CRM data only inside chats they observe (see requireCrmRead), never the whole CRM.
const observerGlobal: ReadonlySet<GlobalAction> = new Set(['users:list', 'integrations:list', 'funnels:list', 'chats:list']);
/** Muting is a personal notification preference, not an edit of the chat, so observers may do it. */
const observerChat: ReadonlySet<ChatAction> = new Set(['chat:view', 'chat:mute']);

/** May `user` do `action` (on `chat`, for chat actions)? Deny by default. */
export function can(user: SessionUser | null, action: Action, chat?: ChatFacts): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (isChatAction(action)) {
    if (user.role === 'employee') return true;
    if (user.role === 'observer') return !!chat?.observedByUser && observerChat.has(action);
    return false;
  }
  if (user.role === 'employee') return employeeGlobal.has(action);
  if (user.role === 'observer') return observerGlobal.has(action);
  return false;
}

/** Which chats a user's lists may contain. */
export function chatScope(user: SessionUser): 'all' | 'observed' {
  return user.role === 'observer' ? 'observed' : 'all';
}

/** The user as list queries take them: the policy's scope decided here, not in data code. */
export function listViewer(user: SessionUser): { id: string; scope: 'all' | 'observed' } {
  return { id: user.id, scope: chatScope(user) };
}

function isChatAction(action: Action): action is ChatAction {
  return action.startsWith('chat:');
}
