/**
 * Wire types the UI relies on, written from /work/shared/API.md.
 *
 * STYLE.md: wire types live once in worker/shared/ and web imports them (type-only). wire.ts so far
 * defines only User; as more schemas land there, replace the bodies below with
 * `export type { … } from '../../../worker/shared/wire'` and delete what is duplicated.
 * Fields marked "assumed" are not (yet) in API.md; the backend is asked to provide them.
 */

import type { User as WireUser } from '../../../worker/shared/wire';

/** From worker/shared/wire.ts (type-only: nothing of the worker is bundled). */
export type User = WireUser;
export type Role = User['role'];
export type Channel = 'telegram' | 'viber';
export type Group = 'mine' | 'unassigned' | 'others' | 'closed';
/** API.md does not list chat statuses; the UI only distinguishes 'closed' from anything else. */
export type ChatStatus = 'open' | 'closed' | (string & {});

export interface Counts {
  mine: number;
  unassigned: number;
  others: number;
  closed: number;
}

export interface ChatListItem {
  id: string;
  status: ChatStatus;
  contact: { id: string; name: string };
  integration: { id: string; name: string; channel: Channel };
  responsibleId: string | null;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  unread: number;
  /** assumed (optional): lets the UI decide "observed by me" and "muted" for notifications. */
  observerIds?: string[];
  muted?: boolean;
}

export interface ChatListPage {
  items: ChatListItem[];
  nextCursor: string | null;
  counts: Counts;
}

export interface ArchiveFilters {
  status?: string;
  responsibleId?: string;
  integrationId?: string;
  channel?: string;
  tag?: string;
  from?: string;
  to?: string;
  q?: string;
}

/** assumed shape: API.md only says "attachments". */
export interface Attachment {
  id?: string;
  url: string;
  name?: string;
  mimeType?: string;
  size?: number;
  kind?: string;
}

export type MessageStatus = 'received' | 'sending' | 'sent' | 'delivered' | 'seen' | 'failed';

export interface TimelineMessage {
  kind: 'message';
  id: string;
  direction: 'in' | 'out';
  authorId: string | null;
  text: string;
  attachments: Attachment[];
  status: MessageStatus;
  error: string | null;
  createdAt: string;
}

export type EventType =
  | 'opened'
  | 'assigned'
  | 'unassigned'
  | 'closed'
  | 'reopened'
  | 'observers_changed'
  | 'tags_changed'
  | 'opportunity_created'
  | 'linked'
  | 'greeting_sent'
  | 'auto_reply_sent';

export interface TimelineEvent {
  kind: 'event';
  id: string;
  type: EventType | (string & {});
  actorId: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
}

export type TimelineItem = TimelineMessage | TimelineEvent;

export interface TimelinePage {
  items: TimelineItem[];
  nextBefore: string | null;
}

/** assumed: search returns messages plus a `snippet` (plain text around the match). */
export interface SearchHit {
  id: string;
  direction?: 'in' | 'out';
  text?: string;
  snippet?: string;
  createdAt: string;
}

export interface Identity {
  channel: Channel;
  integrationId: string;
  externalId: string;
}

export interface Contact {
  id: string;
  name: string;
  username?: string | null;
  phone?: string | null;
  email?: string | null;
  company?: string | null;
  avatarUrl?: string | null;
  identities?: Identity[];
}

export interface Opportunity {
  id: string;
  title: string;
  contactId: string;
  funnelId: string;
  stageId: string;
  amount: number | null;
  responsibleId: string | null;
  chatId: string | null;
  createdAt: string;
}

/** assumed shapes of linked items: `{id, title}` for tasks, `{id, name}` for projects. */
export interface Task {
  id: string;
  title: string;
  assigneeId?: string | null;
  dueAt?: string | null;
  status?: string;
}
export interface Project {
  id: string;
  name: string;
}

export interface ChatDetail {
  id: string;
  status: ChatStatus;
  startedAt: string;
  lastMessageAt: string | null;
  source: { integrationId: string; name: string };
  channel: Channel;
  responsibleId: string | null;
  observerIds: string[];
  tags: string[];
  contact: Contact;
  opportunities: Opportunity[];
  links: { tasks: Task[]; projects: Project[] };
  muted: boolean;
}

/** assumed shape of a team comment. */
export interface Comment {
  id: string;
  authorId: string | null;
  text: string;
  createdAt: string;
}

export interface Integration {
  id: string;
  channel: Channel;
  name: string;
  enabled: boolean;
  greetingText: string | null;
  autoReplyText: string | null;
  funnelId: string | null;
  queue: string[];
}

/** assumed: GET /api/integrations/:id/queue → {items: QueueEntry[]}. */
export interface QueueEntry {
  userId: string;
  name: string;
  away: boolean;
}

export interface Stage {
  id: string;
  name: string;
}
export interface Funnel {
  id: string;
  name: string;
  stages: Stage[];
}

/* ---------- live frames ---------- */

/**
 * /api/live (inbox feed). API.md: "chat created/updated/assigned/closed/reopened, counts".
 * assumed: chat frames carry the full list item as `chat` (and optionally `counts`); a new inbound
 * client message arrives as type "message" with `chat` + `message`, optionally with `notify`
 * (server-computed: responsible/observer and not muted). Unknown types are ignored.
 */
export type InboxFrame =
  | {
      seq: number;
      type: 'chat_created' | 'chat_updated' | 'chat_assigned' | 'chat_closed' | 'chat_reopened' | 'chat';
      chat: ChatListItem;
      counts?: Counts;
    }
  | { seq: number; type: 'message'; chat: ChatListItem; message: TimelineMessage; counts?: Counts; notify?: boolean }
  | { seq: number; type: 'counts'; counts: Counts }
  | { seq: number; type: 'chat_removed'; chatId: string; counts?: Counts }
  | { seq: number; type: 'reload' };

/** /api/chats/:id/live. "comment" and "presence" payloads are assumed. */
export type ChatFrame =
  | { seq: number; type: 'message'; message: TimelineMessage }
  | { seq: number; type: 'message_status'; id: string; status: MessageStatus; error: string | null }
  | { seq: number; type: 'event'; event: TimelineEvent }
  | { seq: number; type: 'typing'; userId: string }
  | { seq: number; type: 'presence'; userIds: string[] }
  | { seq: number; type: 'comment'; comment: Comment }
  | { seq: number; type: 'reload' };

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: unknown };
}
