/**
 * The single access policy of Ponte, as one table: every route and every live socket asks `can()`;
 * anything not listed here is denied. Roles: admin (everything), employee (all chats and CRM),
 * observer (only chats they observe, read-only, and their own settings).
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
  'chat:comment', 'chat:link', 'chat:mute', 'chat:crm', 'chat:crm_read',
] as const;
export type ChatAction = (typeof chatActions)[number];

/** Actions on one user's own things (the facts say whose). */
export const selfActions = ['queue:away', 'message:change'] as const;
export type SelfAction = (typeof selfActions)[number];

/** Actions that are about neither one chat nor one user. */
export const globalActions = [
  'users:list', 'users:list_inactive', 'users:emails', 'users:manage', 'integrations:list', 'integrations:manage',
  'funnels:list', 'funnels:manage', 'crm:view', 'crm:write', 'chats:list', 'chats:take',
  'contacts:list', 'contacts:merge', 'board:view', 'history:manage', 'reports:view', 'canned:use', 'canned:manage_shared', 'mentions:own',
] as const;
export type GlobalAction = (typeof globalActions)[number];

export type Action = ChatAction | SelfAction | GlobalAction;

/** What the policy needs to know about a chat: only whether this user observes it. */
export interface ChatFacts {
  observedByUser: boolean;
}

/** What the policy needs to know about a self action: whose thing it is. */
export interface SelfFacts {
  subjectUserId: string;
}

/**
 * yes / no; 'observed': only on a chat the user observes; 'self': only on the user's own things.
 * An admin may do everything, so admins have no column.
 */
type Rule = boolean | 'observed' | 'self';

const table: Record<Action, Record<Exclude<Role, 'admin'>, Rule>> = {
  'chat:view': { employee: true, observer: 'observed' },
  'chat:reply': { employee: true, observer: false },
  'chat:close': { employee: true, observer: false },
  'chat:reopen': { employee: true, observer: false },
  'chat:assign': { employee: true, observer: false },
  'chat:observers': { employee: true, observer: false },
  'chat:tags': { employee: true, observer: false },
  'chat:comment': { employee: true, observer: false },
  'chat:link': { employee: true, observer: false },
  // Muting is a personal notification preference (chat_user_state), not an edit of the chat.
  'chat:mute': { employee: true, observer: 'observed' },
  /** Write CRM data from a chat (opportunity, task, project). */
  'chat:crm': { employee: true, observer: false },
  /** Read the CRM data a chat shows: its contact, its opportunities, its linked tasks and projects. */
  'chat:crm_read': { employee: true, observer: 'observed' },
  /** A manager's own away flag in a bot's queue (admins set anyone's). */
  'queue:away': { employee: 'self', observer: false },
  /** Edit or delete a sent reply: its author (the facts' subject), or an admin; never an observer. */
  'message:change': { employee: 'self', observer: false },
  'users:list': { employee: true, observer: true },
  'users:list_inactive': { employee: false, observer: false },
  'users:emails': { employee: true, observer: false },
  'users:manage': { employee: false, observer: false },
  'integrations:list': { employee: true, observer: true },
  'integrations:manage': { employee: false, observer: false },
  'funnels:list': { employee: true, observer: true },
  'funnels:manage': { employee: false, observer: false },
  /** The whole CRM; observers read CRM data only through chats they observe (chat:crm_read). */
  'crm:view': { employee: true, observer: false },
  'crm:write': { employee: true, observer: false },
  /** The Contacts page (search every contact) and its duplicate suggestions. */
  'contacts:list': { employee: true, observer: false },
  /** Join two contacts into one (their chats, opportunities, tasks and identities). */
  'contacts:merge': { employee: true, observer: false },
  /** A funnel's board: every open opportunity of the funnel. */
  'board:view': { employee: true, observer: false },
  'chats:list': { employee: true, observer: true },
  /** Settings → History: how long after closing a chat's messages stay in D1 before moving to R2. */
  'history:manage': { employee: false, observer: false },
  /** The reports page and its CSV: figures about the whole team, so not for observers. */
  'reports:view': { employee: true, observer: false },
  /** Canned responses: read the shared set, keep one's own; observers never reply, so they get none. */
  'canned:use': { employee: true, observer: false },
  /** Create, edit and delete the shared canned responses. */
  'canned:manage_shared': { employee: false, observer: false },
  /** One's own mentions (the badge); who may be mentioned on a chat is whoever may view it (chat:view). */
  'mentions:own': { employee: true, observer: true },
  /** Be responsible for chats (the queue and reassignments pick only such users). */
  'chats:take': { employee: true, observer: false },
};

/** May `user` do `action` (on `facts`: the chat, or whose thing it is)? Deny by default. */
export function can(user: Pick<SessionUser, 'id' | 'role'> | null, action: Action, facts?: Partial<ChatFacts & SelfFacts>): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  const rule = (table[action] as Partial<Record<Role, Rule>> | undefined)?.[user.role];
  if (rule === 'observed') return facts?.observedByUser === true;
  if (rule === 'self') return facts?.subjectUserId === user.id;
  return rule === true;
}

/** Which chats a user's lists may contain: all, if they may view a chat they do not observe. */
export function chatScope(user: Pick<SessionUser, 'id' | 'role'>): 'all' | 'observed' {
  return can(user, 'chat:view', { observedByUser: false }) ? 'all' : 'observed';
}

/** The user as list queries take them: the policy's scope decided here, not in data code. */
export function listViewer(user: SessionUser): { id: string; scope: 'all' | 'observed' } {
  return { id: user.id, scope: chatScope(user) };
}
