/** Wire shapes of the history retention setting (Settings → History). */
import { z } from '@hono/zod-openapi';

export const HistorySettingsSchema = z.object({
  archiveAfterMonths: z.number().int().min(0).max(120).openapi({ description: 'Months after a chat is closed before its messages move to R2; 0 = never' }),
  defaultMonths: z.number().int().openapi({ description: 'ARCHIVE_AFTER_MONTHS from wrangler.toml, used while no administrator set one' }),
  source: z.enum(['settings', 'default']),
  archived: z.object({
    chats: z.number().int(),
    messages: z.number().int(),
    objects: z.number().int(),
    bytes: z.number().int().openapi({ description: 'Compressed size in R2' }),
  }),
}).openapi('HistorySettings');
export type HistorySettings = z.infer<typeof HistorySettingsSchema>;

export const HistorySettingsBodySchema = z.object({
  archiveAfterMonths: z.number().int().min(0).max(120).nullable().openapi({ description: 'null = back to the default' }),
}).strict().openapi('HistorySettingsBody');
