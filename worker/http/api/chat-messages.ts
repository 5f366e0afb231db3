/**
 * A manager's outgoing messages in a chat: text replies, files, retries, and the chat's stored files.
 * Each write answers 202 with the stored message (`sending`); delivery continues in the outbox.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ChatAction } from '../../domain/access';
import { chatOfMediaKey } from '../../data/attachments';
import { notFound } from '../../shared/errors';
import { authorizeChat } from '../../domain/access';
import { deleteSentReply, editSentReply, postAgentAttachment, postAgentMessage, retryFailedMessage, type Stored } from '../../domain/outbound';
import type { AppEnv } from '../../env';
import {
  ChatAttachmentParamsSchema, ChatMessageParamsSchema, EditMessageBodySchema, MessageItemSchema, SendMessageBodySchema, UploadAttachmentBodySchema,
} from '../../shared/messages';
import { errorResponses, IdParamSchema, jsonBody, jsonContent } from '../../shared/wire';
import { requireUser } from '../guards';
import { handOff } from '../hand-off';
import { fileResponse } from '../media';
import { toMessageItem } from '../../data/message-item';
import { newRouter } from '../router';

/**
 * 401, then 404 for a chat the user may not even view (so ids cannot be probed, as on every chat
 * route), then 403 when they may view it but not do `action`.
 */
async function requireChatAction(c: Context<AppEnv>, chatId: string, action: ChatAction) {
  const user = requireUser(c);
  await authorizeChat(c.var.deps.db, user, chatId, action);
  return user;
}

async function accepted(c: Context<AppEnv>, stored: Stored) {
  await handOff(c.env, c.executionCtx, { changes: stored.changes, outbound: stored.outbound, media: [] });
  return toMessageItem(stored.message);
}

const sent = { 202: jsonContent(MessageItemSchema, 'Stored; delivery continues in the background') };

export const chatMessageRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/chats/{id}/messages', tags: ['messages'],
      request: { params: IdParamSchema, body: jsonBody(SendMessageBodySchema) },
      responses: { ...sent, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const chatId = c.req.valid('param').id;
      const user = await requireChatAction(c, chatId, 'chat:reply');
      const stored = await postAgentMessage(c.var.deps, { chatId, authorId: user.id, text: c.req.valid('json').text });
      return c.json(await accepted(c, stored), 202);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/chats/{id}/attachments', tags: ['messages'],
      request: { params: IdParamSchema, body: { required: true, content: { 'multipart/form-data': { schema: UploadAttachmentBodySchema } } } },
      responses: { ...sent, ...errorResponses(400, 401, 403, 404, 409, 413) },
    }),
    async (c) => {
      const chatId = c.req.valid('param').id;
      const user = await requireChatAction(c, chatId, 'chat:reply');
      const form = c.req.valid('form');
      const stored = await postAgentAttachment(
        { db: c.var.deps.db, bucket: c.var.deps.media },
        { chatId, authorId: user.id, file: form.file, caption: form.caption ?? form.text },
      );
      return c.json(await accepted(c, stored), 202);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/chats/{id}/messages/{messageId}/retry', tags: ['messages'],
      request: { params: ChatMessageParamsSchema },
      responses: { ...sent, ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const { id: chatId, messageId } = c.req.valid('param');
      await requireChatAction(c, chatId, 'chat:reply');
      const stored = await retryFailedMessage(c.var.deps, { chatId, messageId });
      return c.json(await accepted(c, stored), 202);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/chats/{id}/messages/{messageId}', tags: ['messages'],
      summary: "Edit a sent reply (its author or an admin; where the messenger allows it: Telegram, not Viber)",
      request: { params: ChatMessageParamsSchema, body: jsonBody(EditMessageBodySchema) },
      responses: { 202: jsonContent(MessageItemSchema, 'Stored with the new text; the edit continues on the messenger in the background'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id: chatId, messageId } = c.req.valid('param');
      const user = await requireChatAction(c, chatId, 'chat:reply');
      const stored = await editSentReply(c.var.deps, user, { chatId, messageId, text: c.req.valid('json').text });
      return c.json(await accepted(c, stored), 202);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/chats/{id}/messages/{messageId}', tags: ['messages'],
      summary: 'Delete a sent reply for the client too (its author or an admin; Telegram within 48 h, not Viber)',
      request: { params: ChatMessageParamsSchema },
      responses: { 202: jsonContent(MessageItemSchema, 'Marked deleted; the delete continues on the messenger in the background'), ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const { id: chatId, messageId } = c.req.valid('param');
      const user = await requireChatAction(c, chatId, 'chat:reply');
      const stored = await deleteSentReply(c.var.deps, user, { chatId, messageId });
      return c.json(await accepted(c, stored), 202);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/chats/{id}/attachments/{key}', tags: ['messages'],
      request: { params: ChatAttachmentParamsSchema },
      responses: { 200: { description: 'The file', content: { '*/*': { schema: z.string().openapi({ format: 'binary' }) } } }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id: chatId, key } = c.req.valid('param');
      await requireChatAction(c, chatId, 'chat:view');
      const object = chatOfMediaKey(key) === chatId ? await c.var.deps.media.get(key) : null;
      if (!object) throw notFound('File');
      return fileResponse(object) as never;
    },
  );
