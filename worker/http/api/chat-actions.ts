/** Changing a chat: close, reopen, responsible, observers, tags, the user's mute flag. */
import { createRoute } from '@hono/zod-openapi';
import { chatCard, closeChat, reopenChat, setResponsible } from '../../domain/chats';
import { setMuted, setObservers } from '../../domain/chats';
import { setTags } from '../../domain/chats';
import { askOnClose } from '../../domain/csat';
import { handOff } from '../hand-off';
import {
  ChatDetailsSchema, ChatIdParamSchema, NotificationsBodySchema, NotificationsResponseSchema, ObserversBodySchema,
  ResponsibleBodySchema, TagsBodySchema, TagsResponseSchema,
} from '../../shared/chats';
import { errorResponses, jsonBody, jsonContent } from '../../shared/wire';
import { requireUser } from '../guards';
import { newRouter } from '../router';

// Actions answer with the chat card as it is now (as this user may see it), so the UI needs no second request.

const params = { params: ChatIdParamSchema };

export const chatActionRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/chats/{id}/close', tags: ['chat actions'], request: params,
      responses: { 200: jsonContent(ChatDetailsSchema), ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const [deps, user, { id }] = [c.var.deps, requireUser(c), c.req.valid('param')];
      await closeChat(deps, user, id);
      // The bot's satisfaction survey, if it asks one: the question leaves through the outbox.
      const asked = await askOnClose(deps, id);
      await handOff(c.env, c.executionCtx, { changes: asked.changes, outbound: asked.outbound, media: [] });
      return c.json(await chatCard(deps.db, user, id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/chats/{id}/reopen', tags: ['chat actions'], request: params,
      responses: { 200: jsonContent(ChatDetailsSchema), ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const [deps, user, { id }] = [c.var.deps, requireUser(c), c.req.valid('param')];
      await reopenChat(deps, user, id);
      return c.json(await chatCard(deps.db, user, id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/chats/{id}/responsible', tags: ['chat actions'], request: { ...params, body: jsonBody(ResponsibleBodySchema) },
      responses: { 200: jsonContent(ChatDetailsSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const [deps, user, { id }] = [c.var.deps, requireUser(c), c.req.valid('param')];
      await setResponsible(deps, user, id, c.req.valid('json').userId);
      return c.json(await chatCard(deps.db, user, id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/chats/{id}/observers', tags: ['chat actions'], request: { ...params, body: jsonBody(ObserversBodySchema) },
      responses: { 200: jsonContent(ChatDetailsSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const [deps, user, { id }] = [c.var.deps, requireUser(c), c.req.valid('param')];
      await setObservers(deps, user, id, c.req.valid('json').userIds);
      return c.json(await chatCard(deps.db, user, id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/chats/{id}/tags', tags: ['chat actions'], request: { ...params, body: jsonBody(TagsBodySchema) },
      responses: { 200: jsonContent(TagsResponseSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { tags } = await setTags(c.var.deps, requireUser(c), c.req.valid('param').id, c.req.valid('json').tags);
      return c.json({ tags }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/chats/{id}/notifications', tags: ['chat actions'], request: { ...params, body: jsonBody(NotificationsBodySchema) },
      responses: { 200: jsonContent(NotificationsResponseSchema, "The logged-in user's mute flag for this chat"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { muted } = c.req.valid('json');
      await setMuted(c.var.deps, requireUser(c), c.req.valid('param').id, muted);
      return c.json({ muted }, 200);
    },
  );
