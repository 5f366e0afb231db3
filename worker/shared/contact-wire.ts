/** Wire shapes of the Contacts page: the directory, a contact's page, merging. Times are ISO strings. */
import { z } from '@hono/zod-openapi';
import { ContactSchema, OpportunitySchema, TaskSchema } from './crm-wire';

const id = z.string().min(1).max(64);

export const ContactDirectoryQuerySchema = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Words of a name, username, phone, email or company (accents and case ignored; the last word is a prefix)' }),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const DirectoryContactSchema = z
  .object({
    id: z.string(), name: z.string(), username: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(),
    company: z.string().nullable(), avatarUrl: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
  })
  .openapi('DirectoryContact');

export const ContactDirectoryPageSchema = z.object({ items: z.array(DirectoryContactSchema), nextCursor: z.string().nullable() }).openapi('ContactDirectoryPage');

export const ContactChatSchema = z.object({
  id: z.string(), integrationId: z.string(), channel: z.string(), status: z.string(), lastMessageAt: z.string(), lastMessagePreview: z.string(),
});
export const ContactCommentSchema = z.object({ id: z.string(), chatId: z.string(), authorId: z.string(), authorName: z.string(), text: z.string(), createdAt: z.string() });
export const DuplicateSchema = z.object({
  id: z.string(), name: z.string(), phone: z.string().nullable(), email: z.string().nullable(), channels: z.array(z.string()),
  reason: z.enum(['phone', 'email', 'name']),
});

export const ContactPageSchema = ContactSchema.extend({
  chats: z.array(ContactChatSchema).openapi({ description: 'Every chat on every channel, newest first (an observer: only the chats they observe)' }),
  opportunities: z.array(OpportunitySchema),
  tasks: z.array(TaskSchema),
  comments: z.array(ContactCommentSchema),
  duplicates: z.array(DuplicateSchema).openapi({ description: 'Likely the same person (same phone or email, same name on another channel); never merged automatically' }),
}).openapi('ContactPage');

export const MergedAwaySchema = z
  .object({ mergedInto: z.string() })
  .openapi('MergedAway', { description: 'The contact was merged into another: follow mergedInto (like a 301 for old links)' });

export const MergeContactBodySchema = z.object({ otherId: id.openapi({ description: 'The contact merged away into the one in the path' }) }).strict();

export type DirectoryContact = z.infer<typeof DirectoryContactSchema>;
export type ContactPage = z.infer<typeof ContactPageSchema>;
