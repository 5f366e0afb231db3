/**
 * Wire shapes of the CRM: funnels and stages, contacts, opportunities, tasks and projects. Times are
 * ISO strings here and integer ms in D1; the routes convert with `isoOrNull` / `msOrNull`.
 */
import { z } from '@hono/zod-openapi';

const id = z.string().min(1).max(64);
const name = z.string().trim().min(1).max(200);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export { isoOrNull } from '../data/wire-time';
export const msOrNull = (iso: string | null | undefined) => (iso === undefined ? undefined : iso === null ? null : Date.parse(iso));

export const StageSchema = z.object({ id: z.string(), name: z.string(), position: z.number().int() }).openapi('Stage');
export const FunnelSchema = z.object({ id: z.string(), name: z.string(), stages: z.array(StageSchema), createdAt: z.string() }).openapi('Funnel');
export type Funnel = z.infer<typeof FunnelSchema>;

export const CreateFunnelBodySchema = z.object({ name, stages: z.array(name).min(1).max(50) }).strict();
export const PatchFunnelBodySchema = z
  .object({
    name: name.optional(),
    stages: z.array(z.object({ id: id.optional(), name }).strict()).min(1).max(50).optional()
      .openapi({ description: 'The complete new order: existing stages by id, new ones without; a stage left out is removed (409 stage_in_use if it holds opportunities)' }),
  })
  .strict();

export const ContactSchema = z
  .object({
    id: z.string(), name: z.string(), username: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(),
    company: z.string().nullable(), avatarUrl: z.string().nullable(),
    identities: z.array(z.object({ channel: z.string(), integrationId: z.string(), externalId: z.string() })),
    createdAt: z.string(), updatedAt: z.string(),
  })
  .openapi('Contact');
export type Contact = z.infer<typeof ContactSchema>;

export const PatchContactBodySchema = z
  .object({
    name: name.optional(),
    phone: optionalText(50),
    // The side panel sends '' for a field the manager emptied: that clears it, like null.
    email: z.string().trim().pipe(z.union([z.literal(''), z.string().email().max(254)])).nullable().optional(),
    company: optionalText(200),
  })
  .strict();

const amount = z.number().finite().min(0).max(1e12);

export const OpportunitySchema = z
  .object({
    id: z.string(), title: z.string(), contactId: z.string(), funnelId: z.string(), stageId: z.string(), amount: z.number().nullable(),
    responsibleId: z.string().nullable(), chatId: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
    outcome: z.enum(['won', 'lost']).nullable().optional(), outcomeReason: z.string().nullable().optional(), closedAt: z.string().nullable().optional(),
    stageChangedAt: z.string().nullable().optional().openapi({ description: 'When the opportunity last moved to another stage' }),
    previousStageId: z.string().nullable().optional(),
  })
  .openapi('Opportunity');
export type Opportunity = z.infer<typeof OpportunitySchema>;

export const OpportunityQuerySchema = z.object({ contactId: id.optional(), chatId: id.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
export const CreateOpportunityBodySchema = z
  .object({ contactId: id, funnelId: id, title: name, chatId: id.optional(), amount: amount.nullable().optional() })
  .strict();
export const PatchOpportunityBodySchema = z
  .object({
    stageId: id.optional(), title: name.optional(), amount: amount.nullable().optional(),
    outcome: z.enum(['won', 'lost']).nullable().optional().openapi({ description: 'won / lost closes the opportunity (it leaves the board; lost needs outcomeReason); null reopens it' }),
    outcomeReason: z.string().trim().max(500).nullable().optional(),
  })
  .strict();

export const TaskSchema = z
  .object({
    id: z.string(), title: z.string(), assigneeId: z.string().nullable(), dueAt: z.string().nullable(), done: z.boolean(), createdBy: z.string().nullable(), createdAt: z.string(),
    contactId: z.string().nullable().optional().openapi({ description: "The contact the task is about (created from a contact's page or a chat)" }),
    chatIds: z.array(z.string()).optional().openapi({ description: 'GET /api/tasks: the chats the task is linked to (an observer sees only the chat they listed by)' }),
  })
  .openapi('Task');
export type Task = z.infer<typeof TaskSchema>;

const dueAt = z.iso.datetime({ offset: true }).nullable().optional();
export const TaskQuerySchema = z.object({
  assigneeId: id.optional(), done: z.enum(['true', 'false']).transform((v) => v === 'true').optional(), chatId: id.optional(),
  contactId: id.optional(),
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional().openapi({ description: "Only the logged-in user's tasks" }),
  order: z.enum(['newest', 'due']).default('newest').openapi({ description: 'due: by due date, overdue first, tasks without a date last' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const CreateTaskBodySchema = z.object({ title: name, assigneeId: id.nullable().optional(), dueAt, chatId: id.optional(), contactId: id.optional() }).strict();
export const PatchTaskBodySchema = z.object({ title: name.optional(), done: z.boolean().optional(), assigneeId: id.nullable().optional(), dueAt }).strict();

export const ProjectSchema = z
  .object({ id: z.string(), name: z.string(), description: z.string(), createdBy: z.string().nullable(), createdAt: z.string() })
  .openapi('Project');
export type Project = z.infer<typeof ProjectSchema>;

export const ProjectQuerySchema = z.object({ chatId: id.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
export const CreateProjectBodySchema = z.object({ name, description: z.string().trim().max(5000).optional(), chatId: id.optional() }).strict();

export const ListOf = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item) });
