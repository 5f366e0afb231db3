/** Wire shapes of canned responses (the routes validate with them; web/ imports the types). */
import { z } from '@hono/zod-openapi';

/** The tested maxima: text lengths, and how many responses one scope (the shared set, or a person's own) holds. */
export const CANNED_LIMITS = { shortcut: 32, title: 100, text: 4000, perScope: 200 } as const;

export const CannedScopeSchema = z.enum(['shared', 'personal']);
export type CannedScope = z.infer<typeof CannedScopeSchema>;

const shortcut = z.string().trim().min(1).max(CANNED_LIMITS.shortcut)
  .regex(/^[\p{L}\p{N}_-]+$/u, 'Letters, digits, - and _ only (no spaces)')
  .openapi({ description: 'Typed after `/` in the composer; stored in lower case; unique within its scope (409 shortcut_taken)', example: 'obrigado' });
const title = z.string().trim().min(1).max(CANNED_LIMITS.title);
const text = z.string().trim().min(1).max(CANNED_LIMITS.text)
  .openapi({ description: 'May use {{contact.name}}, {{contact.first_name}}, {{agent.name}}, {{bot.name}}; any other {{name}} is 400 unknown_variable' });

export const CannedResponseSchema = z
  .object({
    id: z.string(), scope: CannedScopeSchema,
    ownerId: z.string().nullable().openapi({ description: 'null for a shared response' }),
    shortcut: z.string(), title: z.string(), text: z.string(), createdAt: z.string(), updatedAt: z.string(),
  })
  .openapi('CannedResponse');
export type CannedResponse = z.infer<typeof CannedResponseSchema>;

export const CannedListSchema = z.object({ items: z.array(CannedResponseSchema) }).openapi('CannedResponseList');

export const CreateCannedBodySchema = z
  .object({
    scope: CannedScopeSchema.default('personal').openapi({ description: 'shared: every staff member sees it, admins only may create it; personal (default): only you' }),
    shortcut, title, text,
  })
  .strict();
export type CreateCannedBody = z.infer<typeof CreateCannedBodySchema>;

export const PatchCannedBodySchema = z.object({ shortcut: shortcut.optional(), title: title.optional(), text: text.optional() }).strict();
export type PatchCannedBody = z.infer<typeof PatchCannedBodySchema>;
