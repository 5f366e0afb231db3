/**
 * Wire shapes of mentions: a team comment calling colleagues in (`mentions` on a comment), the people
 * who may be called in on a chat, and one's own mentions with the unread badge count.
 */
import { z } from '@hono/zod-openapi';

const isoTime = z.string().openapi({ format: 'date-time' });

/** At most this many people in one comment. */
export const MENTIONS_PER_COMMENT_MAX = 20;
/** At most this many people offered by the picker at once (type more of the name to narrow it). */
export const MENTIONABLE_MAX = 50;
/** At most this many mentions a page. */
export const MENTIONS_PAGE_MAX = 100;

const uniqueIds = (max: number) => z.array(z.string().min(1).max(64)).max(max).refine((ids) => new Set(ids).size === ids.length, 'each person once');

export const MentionIdsSchema = uniqueIds(MENTIONS_PER_COMMENT_MAX).openapi({
  description: `User ids called in by the comment (at most ${MENTIONS_PER_COMMENT_MAX}); each must be an active colleague who may see the chat`,
});

export const MentionableQuerySchema = z.object({ q: z.string().trim().max(60).optional() });
export const MentionableUserSchema = z
  .object({ id: z.string(), name: z.string(), role: z.enum(['admin', 'employee', 'observer']) })
  .openapi('MentionableUser');
export type MentionableUser = z.infer<typeof MentionableUserSchema>;

export const MentionSchema = z
  .object({
    id: z.string(),
    chatId: z.string(),
    commentId: z.string(),
    authorId: z.string(),
    authorName: z.string(),
    contactName: z.string(),
    text: z.string().openapi({ description: 'The comment' }),
    createdAt: isoTime,
    readAt: isoTime.nullable(),
  })
  .openapi('Mention');
export type Mention = z.infer<typeof MentionSchema>;

export const MyMentionsQuerySchema = z.object({
  unread: z.enum(['true', 'false']).optional().openapi({ description: 'true: only unread mentions' }),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MENTIONS_PAGE_MAX).default(30),
});
export const MyMentionsSchema = z
  .object({ items: z.array(MentionSchema), unread: z.number().int().openapi({ description: 'The badge: unread mentions' }), nextCursor: z.string().nullable() })
  .openapi('MyMentions');
export type MyMentions = z.infer<typeof MyMentionsSchema>;

export const ReadMentionsBodySchema = z
  .object({
    chatId: z.string().min(1).max(64).optional().openapi({ description: 'Only the mentions in this chat' }),
    ids: uniqueIds(MENTIONS_PAGE_MAX).optional().openapi({ description: 'Only these mentions' }),
  })
  .strict()
  .openapi({ description: 'Empty: every mention of mine' });
export const UnreadMentionsSchema = z.object({ unread: z.number().int() }).openapi('UnreadMentions');

/** A change to one person's mentions, for their open inbox tabs (the `mentions` live frame). */
export interface MentionNotice {
  userId: string;
  /** Their badge count after the change. */
  unread: number;
  /** The mention that just arrived; null when some were read. */
  mention: Mention | null;
}
