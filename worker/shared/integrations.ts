/** Wire shapes of messenger integrations (bots). Tokens and webhook secrets never appear here. */
import { z } from '@hono/zod-openapi';
import { channels } from '../messengers/registry';
import { BusinessHoursSchema } from './business-hours';
import { AssignmentRuleEnum } from './routing-wire';

export const IntegrationSchema = z
  .object({
    id: z.string(),
    channel: z.string(),
    /** The bot's own name, shown as the chats' source. */
    name: z.string(),
    enabled: z.boolean(),
    greetingText: z.string(),
    autoReplyText: z.string(),
    funnelId: z.string().nullable(),
    /** Round-robin order of manager ids. */
    queue: z.array(z.string()),
    assignmentRule: AssignmentRuleEnum,
    reassignAfterMinutes: z.number().int().nullable().openapi({ description: 'A client message with no manager reply for this long moves the chat to the next manager; null = off' }),
    maxOpenChatsPerManager: z.number().int().nullable(),
    businessHours: BusinessHoursSchema.nullable().openapi({ description: 'Business hours and out-of-office text; null = always open' }),
    /** Ask the client for a 1–5 rating when a chat is closed (the satisfaction survey). */
    csatEnabled: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('Integration');
export type Integration = z.infer<typeof IntegrationSchema>;

const AutoText = z.string().max(4000);

export const CreateIntegrationBodySchema = z.object({
  channel: z.enum(channels),
  token: z.string().trim().min(1).max(512),
  greetingText: AutoText.optional(),
  autoReplyText: AutoText.optional(),
  funnelId: z.string().min(1).max(64).nullable().optional(),
});

export const PatchIntegrationBodySchema = z
  .object({
    greetingText: AutoText.nullable().optional(),
    autoReplyText: AutoText.nullable().optional(),
    funnelId: z.string().min(1).max(64).nullable().optional(),
    enabled: z.boolean().optional(),
    assignmentRule: AssignmentRuleEnum.optional(),
    reassignAfterMinutes: z.number().int().min(1).max(10_080).nullable().optional()
      .openapi({ description: 'Minutes (1 to a week); null = off; omitted = unchanged' }),
    maxOpenChatsPerManager: z.number().int().min(1).max(100_000).nullable().optional()
      .openapi({ description: 'Skip members with this many open chats or more; null = no cap; omitted = unchanged' }),
    businessHours: BusinessHoursSchema.nullable().optional()
      .openapi({ description: 'Replaces the business hours and out-of-office text as a whole; null = always open; omitted = unchanged' }),
    csatEnabled: z.boolean().optional().openapi({ description: 'Ask closed chats for a 1–5 rating (satisfaction survey)' }),
  })
  .strict();
