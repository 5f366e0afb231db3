/** Wire shapes of a bot's manager queue (GET/PUT /api/integrations/:id/queue and one member's away flag). */
import { z } from '@hono/zod-openapi';

const userId = z.string().min(1).max(64);

export const QueueItemSchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    position: z.number().int(),
    away: z.boolean(),
    active: z.boolean(),
    /** Open chats this person is responsible for, across all bots (what the cap compares). */
    openChats: z.number().int(),
  })
  .openapi('QueueItem');
export type QueueItem = z.infer<typeof QueueItemSchema>;

export const QueueSchema = z
  .object({ items: z.array(QueueItemSchema), maxOpenChatsPerManager: z.number().int().nullable() })
  .openapi('Queue');
export type Queue = z.infer<typeof QueueSchema>;

export const PutQueueBodySchema = z
  .object({
    userIds: z.array(userId).max(200).openapi({ description: 'The whole queue in rotation order' }),
    away: z.array(userId).max(200).optional().openapi({ description: 'Members to mark away; omitted = members who stay keep their flag' }),
    maxOpenChatsPerManager: z.number().int().min(1).max(100_000).nullable().optional()
      .openapi({ description: 'Skip members with this many open chats or more; null = no cap; omitted = unchanged' }),
  })
  .strict();
export type PutQueueBody = z.infer<typeof PutQueueBodySchema>;

export const PatchQueueMemberBodySchema = z.object({ away: z.boolean() }).strict();

export const QueueMemberParamSchema = z.object({ id: z.string().min(1).max(64), userId });
