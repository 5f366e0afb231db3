/** Wire shapes of a funnel's board. Times are ISO strings. */
import { z } from '@hono/zod-openapi';
import { StageSchema } from './crm-wire';

const id = z.string().min(1).max(64);
const iso = z.iso.datetime({ offset: true });

export const BoardQuerySchema = z.object({
  responsibleId: id.optional(), integrationId: id.optional(),
  from: iso.optional().openapi({ description: 'Opened at or after' }), to: iso.optional().openapi({ description: 'Opened before' }),
  stageId: id.optional().openapi({ description: 'Only this column (with cursor: its next page)' }), cursor: z.string().max(200).optional(),
});

export const BoardCardSchema = z.object({
  id: z.string(), title: z.string(), stageId: z.string(), amount: z.number().nullable(), contactId: z.string(), contactName: z.string(),
  responsibleId: z.string().nullable(), responsibleName: z.string().nullable(), chatId: z.string().nullable(), createdAt: z.string(),
  inStageSince: z.string().openapi({ description: 'Since when it sits in this stage' }),
});

export const BoardSchema = z.object({
  funnelId: z.string(), name: z.string(),
  columns: z.array(z.object({
    stage: StageSchema,
    count: z.number().int().nullable().openapi({ description: 'Open opportunities in the column under the filters (null on a column\'s next page)' }),
    totalAmount: z.number().nullable(), cards: z.array(BoardCardSchema), nextCursor: z.string().nullable(),
  })),
}).openapi('Board');

export type Board = z.infer<typeof BoardSchema>;
export type BoardCard = z.infer<typeof BoardCardSchema>;
