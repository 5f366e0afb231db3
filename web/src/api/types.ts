/**
 * Wire types the UI uses. They come from worker/shared/ (type-only imports: nothing of the Worker is
 * bundled), so a change of the API shows up here as a type error. Only the few things the Worker does
 * not name (or names more loosely than the UI needs) are defined locally.
 */
import type { ChatCounts, ChatDetails, ChatGroup, ChatListItem, Comment, SearchHit, TimelineItem, TimelinePage as WirePage } from '../../../worker/shared/chats';
import type { Contact, Funnel, Opportunity, Project, Task } from '../../../worker/shared/crm-wire';
import type { Integration } from '../../../worker/shared/integrations';
export type { BusinessHours, BusinessHoursInput, HoursRange } from '../../../worker/shared/business-hours';
import type { ChatFrame, ChatChange, InboxFrame, LiveChatState, PresentUser } from '../../../worker/shared/live';
import type { Attachment, MessageItem } from '../../../worker/shared/messages';
import type { Queue, QueueItem } from '../../../worker/shared/queue-wire';
import type { User } from '../../../worker/shared/wire';

export type {
  Attachment, ChatChange, ChatDetails, ChatFrame, ChatListItem, Comment, Contact, Funnel, InboxFrame, Integration,
  LiveChatState, Opportunity, PresentUser, Project, Queue, QueueItem, SearchHit, Task, User,
};
export type Role = User['role'];
export type Group = ChatGroup;
export type Counts = ChatCounts;
export type Channel = 'telegram' | 'viber' | (string & {});

/** A timeline message with its attachments typed (chats.ts leaves them `unknown[]`). */
export type TimelineMessage = MessageItem;
export type TimelineEvent = Extract<TimelineItem, { kind: 'event' }>;
export type MessageStatus = MessageItem['status'];
export type TimelineEntry = TimelineMessage | TimelineEvent;
export interface TimelinePage extends Omit<WirePage, 'items'> {
  items: TimelineEntry[];
}

export interface ChatListPage {
  items: ChatListItem[];
  nextCursor: string | null;
  counts: Counts;
}

/** Archive query (GET /api/chats/archive); `responsibleId: "none"` means unassigned. */
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

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}
