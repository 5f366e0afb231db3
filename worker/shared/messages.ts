/** Wire shapes of chat messages and attachments (timeline items, sending, files). */
import { z } from '@hono/zod-openapi';

export const AttachmentSchema = z
  .object({
    kind: z.string().openapi({ description: 'photo | document | voice | sticker | video | audio | animation | location | contact' }),
    /** Where the UI loads the file (session-authenticated); null while it is still being fetched or when it failed. */
    url: z.string().nullable(),
    name: z.string().optional(),
    mimeType: z.string().optional(),
    size: z.number().nullable().optional(),
    pending: z.boolean().optional(),
    error: z.string().optional(),
    latitude: z.number().optional(),
    longitude: z.number().optional(),
    phoneNumber: z.string().optional(),
  })
  .openapi('Attachment');
export type Attachment = z.infer<typeof AttachmentSchema>;

export const MessageStatusSchema = z.enum(['received', 'sending', 'sent', 'delivered', 'seen', 'failed']);

export const MessageItemSchema = z
  .object({
    kind: z.literal('message'),
    id: z.string(),
    direction: z.enum(['in', 'out']),
    /** Null for the client and for the bot's automatic texts. */
    authorId: z.string().nullable(),
    origin: z.enum(['client', 'agent', 'greeting', 'auto_reply', 'csat', 'out_of_office']),
    text: z.string(),
    attachments: z.array(AttachmentSchema),
    status: MessageStatusSchema,
    /** The human-readable reason when failed. */
    error: z.string().nullable(),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    /** A manager deleted this reply (on the messenger too, once `pendingChange` is null). */
    deletedAt: z.string().nullable(),
    /** An edit or delete still on its way to the messenger. */
    pendingChange: z.enum(['edit', 'delete']).nullable(),
    /** Why the last edit / delete could not be made on the messenger (the message stays as the client sees it). */
    changeError: z.string().nullable(),
  })
  .openapi('MessageItem');
export type MessageItem = z.infer<typeof MessageItemSchema>;

export const SendMessageBodySchema = z.object({ text: z.string().trim().min(1).max(20_000) });
/** A sent reply's new text: one message on the messenger, so at most its limit (Telegram 4,096; checked by the domain). */
export const EditMessageBodySchema = z.object({ text: z.string().trim().min(1).max(4_096) });

export const UploadAttachmentBodySchema = z.object({
  file: z.custom<File>((v) => typeof File !== 'undefined' && v instanceof File, { message: 'A file is required' })
    .openapi({ type: 'string', format: 'binary' }),
  /** The web client sends the caption as `text`; `caption` is accepted too. */
  caption: z.string().max(4000).optional(),
  text: z.string().max(4000).optional(),
});

export const ChatMessageParamsSchema = z.object({ id: z.string().min(1).max(64), messageId: z.string().min(1).max(64) });
export const ChatAttachmentParamsSchema = z.object({ id: z.string().min(1).max(64), key: z.string().min(1).max(160) });
