/**
 * Wire shapes of the inbox API (lists, archive, one chat, timeline, search, chat actions). The Worker
 * validates with them and documents them in /api/openapi.json; web/ imports the inferred types.
 */
import { z } from '@hono/zod-openapi';
import { MentionIdsSchema } from './mention-wire';

export const chatGroups = ['mine', 'unassigned', 'others', 'closed'] as const;
export type ChatGroup = (typeof chatGroups)[number];

const isoTime = z.string().openapi({ format: 'date-time' });
/** A date or date-time in a query string ("2025-03-01" or "2025-03-01T12:00:00Z"). */
const queryTime = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO-8601 date or date-time')
  .openapi({ format: 'date-time' });
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const cursor = z.string().max(200).optional().openapi({ description: 'Opaque cursor from the previous page' });

export const ChatListItemSchema = z
  .object({
    id: z.string(),
    status: z.enum(['open', 'closed']),
    contact: z.object({ id: z.string(), name: z.string(), avatarUrl: z.string().nullable() }),
    integration: z.object({ id: z.string(), name: z.string(), channel: z.string() }),
    responsibleId: z.string().nullable(),
    startedAt: isoTime,
    lastMessageAt: isoTime,
    lastMessagePreview: z.string(),
    closedAt: isoTime.nullable(),
    unread: z.boolean(),
    /** Inbound messages after the user's read marker, capped at UNREAD_COUNT_CAP. */
    unreadCount: z.number().int(),
    muted: z.boolean(),
  })
  .openapi('ChatListItem');
export type ChatListItem = z.infer<typeof ChatListItemSchema>;

export const ChatCountsSchema = z
  .object({ mine: z.number().int(), unassigned: z.number().int(), others: z.number().int(), closed: z.number().int() })
  .openapi('ChatCounts');
export type ChatCounts = z.infer<typeof ChatCountsSchema>;

export const ChatListQuerySchema = z.object({ group: z.enum(chatGroups).default('mine'), limit: limit(100, 30), cursor });
export const ChatListResponseSchema = z
  .object({ items: z.array(ChatListItemSchema), nextCursor: z.string().nullable(), counts: ChatCountsSchema })
  .openapi('ChatList');
export type ChatListResponse = z.infer<typeof ChatListResponseSchema>;

export const ArchiveQuerySchema = z.object({
  status: z.enum(['open', 'closed']).optional(),
  responsibleId: z.string().min(1).max(64).optional().openapi({ description: 'A user id, or "none" for unassigned chats' }),
  integrationId: z.string().min(1).max(64).optional(),
  channel: z.string().min(1).max(32).optional(),
  tag: z.string().trim().min(1).max(60).optional(),
  from: queryTime.optional().openapi({ description: 'Last activity at or after' }),
  to: queryTime.optional().openapi({ description: 'Last activity before' }),
  startedFrom: queryTime.optional(),
  startedTo: queryTime.optional(),
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Free text over contact name and message text' }),
  limit: limit(100, 30),
  cursor,
});
export type ArchiveQuery = z.infer<typeof ArchiveQuerySchema>;
export const ArchiveResponseSchema = z.object({
  items: z.array(ChatListItemSchema),
  nextCursor: z.string().nullable(),
  /** The text search stopped at the newest 2,000 matching messages (or contacts): older matches need more words or a filter. */
  truncated: z.boolean(),
  /** Free text searched the messages D1 holds; older history of long-closed chats is archived in R2 and was not searched. */
  olderHistoryNotSearched: z.boolean().openapi({ description: 'true when some chats\' older messages are archived (R2) and free text did not search them; a chat\'s own history search does' }),
}).openapi('ChatArchive');

export const OpportunitySchema = z
  .object({
    id: z.string(), title: z.string(), contactId: z.string(), funnelId: z.string(), stageId: z.string(),
    amount: z.number().nullable(), responsibleId: z.string().nullable(), chatId: z.string().nullable(), createdAt: isoTime,
  })
  .openapi('Opportunity');

export const LinkedTaskSchema = z.object({ id: z.string(), title: z.string(), done: z.boolean(), dueAt: isoTime.nullable(), assigneeId: z.string().nullable() });
export const LinkedProjectSchema = z.object({ id: z.string(), name: z.string() });

export const ChatDetailsSchema = z
  .object({
    id: z.string(),
    status: z.enum(['open', 'closed']),
    startedAt: isoTime,
    lastMessageAt: isoTime,
    closedAt: isoTime.nullable(),
    source: z.object({ integrationId: z.string(), name: z.string() }),
    channel: z.string(),
    responsibleId: z.string().nullable(),
    lastResponsibleId: z.string().nullable(),
    observerIds: z.array(z.string()),
    tags: z.array(z.string()),
    contact: z.object({
      id: z.string(), name: z.string(), username: z.string().nullable(), phone: z.string().nullable(),
      email: z.string().nullable(), company: z.string().nullable(), avatarUrl: z.string().nullable(),
    }),
    opportunities: z.array(OpportunitySchema),
    links: z.object({ tasks: z.array(LinkedTaskSchema), projects: z.array(LinkedProjectSchema) }),
    muted: z.boolean(),
    unread: z.boolean(),
    /** The latest satisfaction survey of this chat (asked when it was closed), or null. An `asked` one past `expiresAt` takes no answer. */
    csat: z.object({
      state: z.enum(['asked', 'rated', 'cancelled']),
      rating: z.number().int().min(1).max(5).nullable(),
      comment: z.string().nullable(),
      askedAt: isoTime,
      ratedAt: isoTime.nullable(),
      expiresAt: isoTime,
    }).nullable(),
    /** What the chat's messenger lets a manager do to a sent reply; null when it cannot edit or delete (Viber). */
    replyChanges: z.object({ edit: z.boolean(), deleteWithinHours: z.number() }).nullable(),
  })
  .openapi('ChatDetails');
export type ChatDetails = z.infer<typeof ChatDetailsSchema>;

export const TimelineMessageSchema = z.object({
  kind: z.literal('message'),
  id: z.string(),
  direction: z.enum(['in', 'out']),
  origin: z.enum(['client', 'agent', 'greeting', 'auto_reply', 'csat', 'out_of_office']),
  authorId: z.string().nullable(),
  text: z.string(),
  attachments: z.array(z.unknown()),
  status: z.enum(['received', 'sending', 'sent', 'delivered', 'seen', 'failed']),
  error: z.string().nullable(),
  createdAt: isoTime,
  editedAt: isoTime.nullable(),
  deletedAt: isoTime.nullable(),
  pendingChange: z.enum(['edit', 'delete']).nullable(),
  changeError: z.string().nullable(),
});
export const TimelineEventSchema = z.object({
  kind: z.literal('event'),
  id: z.string(),
  type: z.string(),
  actorId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: isoTime,
});
export const TimelineItemSchema = z.discriminatedUnion('kind', [TimelineMessageSchema, TimelineEventSchema]).openapi('TimelineItem');
export type TimelineItem = z.infer<typeof TimelineItemSchema>;
export const TimelineQuerySchema = z.object({ before: cursor, limit: limit(200, 50) });
export const TimelineResponseSchema = z.object({ items: z.array(TimelineItemSchema), nextBefore: z.string().nullable() }).openapi('Timeline');
export type TimelinePage = z.infer<typeof TimelineResponseSchema>;

export const SearchQuerySchema = z.object({ q: z.string().trim().min(1).max(200), limit: limit(100, 30), cursor });
export const SearchHitSchema = z
  .object({
    id: z.string(),
    direction: z.enum(['in', 'out']),
    authorId: z.string().nullable(),
    text: z.string(),
    /** HTML-escaped message excerpt with the matches wrapped in <mark>…</mark>. */
    snippet: z.string(),
    /** The same excerpt as plain parts, for renderers that do not take HTML. */
    parts: z.array(z.object({ text: z.string(), match: z.boolean() })),
    createdAt: isoTime,
  })
  .openapi('SearchHit');
export type SearchHit = z.infer<typeof SearchHitSchema>;
export const SearchResponseSchema = z.object({ items: z.array(SearchHitSchema), nextCursor: z.string().nullable() }).openapi('ChatSearch');

// ---- actions

export const ChatIdParamSchema = z.object({ id: z.string().min(1).max(64) });
export const ResponsibleBodySchema = z.object({ userId: z.string().min(1).max(64).nullable() }).strict();
export const ObserversBodySchema = z.object({ userIds: z.array(z.string().min(1).max(64)).max(200) }).strict();
export const TagsBodySchema = z.object({ tags: z.array(z.string().trim().min(1).max(40)).max(50) }).strict();
export const TagsResponseSchema = z.object({ tags: z.array(z.string()) });
export const NotificationsBodySchema = z.object({ muted: z.boolean() }).strict();
export const NotificationsResponseSchema = z.object({ muted: z.boolean() });

export const CommentBodySchema = z.object({ text: z.string().trim().min(1).max(4000), mentions: MentionIdsSchema.optional() }).strict();
export const CommentSchema = z
  .object({ id: z.string(), chatId: z.string(), authorId: z.string(), text: z.string(), createdAt: isoTime, mentions: z.array(z.string()).openapi({ description: 'User ids the comment called in' }) })
  .openapi('Comment');
export type Comment = z.infer<typeof CommentSchema>;

export const linkKinds = ['task', 'project'] as const;
export const LinkBodySchema = z.union([
  z.object({ taskId: z.string().min(1).max(64) }).strict(),
  z.object({ projectId: z.string().min(1).max(64) }).strict(),
]);
export const LinkSchema = z.object({ chatId: z.string(), kind: z.enum(linkKinds), linkedId: z.string(), createdAt: isoTime }).openapi('ChatLink');
export const LinkParamSchema = z.object({ id: z.string().min(1).max(64), kind: z.enum(linkKinds), linkedId: z.string().min(1).max(64) });

export const TagListQuerySchema = z.object({ q: z.string().trim().max(40).optional() });
export const TagListSchema = z.array(z.object({ id: z.string(), name: z.string() })).openapi('TagList');
