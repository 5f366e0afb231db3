/**
 * A bot's queue of managers: GET (anyone who may list integrations), PUT (admins: order, away flags
 * and the open-chats cap), PATCH one member's away flag (admins, or that manager themself).
 */
import { createRoute } from '@hono/zod-openapi';
import { getQueue, putQueue, setMemberAway } from '../../domain/routing';
import { errorResponses, IdParamSchema, jsonBody, jsonContent } from '../../shared/wire';
import { PatchQueueMemberBodySchema, PutQueueBodySchema, QueueItemSchema, QueueMemberParamSchema, QueueSchema } from '../../shared/queue-wire';
import { requireAllowed, requireUser } from '../guards';
import { newRouter } from '../router';

export const queueRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/integrations/{id}/queue', tags: ['integrations'],
      request: { params: IdParamSchema },
      responses: { 200: jsonContent(QueueSchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      requireAllowed(c, 'integrations:list');
      return c.json(await getQueue(c.var.deps.db, c.req.valid('param').id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/integrations/{id}/queue', tags: ['integrations'],
      request: { params: IdParamSchema, body: jsonBody(PutQueueBodySchema) },
      responses: { 200: jsonContent(QueueSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      requireAllowed(c, 'integrations:manage');
      // The BotQueue object reads the queue from D1 afresh for each batch of decisions: no cache to
      // invalidate; it is woken because someone who joined (or a higher cap) may take waiting chats.
      const { id } = c.req.valid('param');
      const view = await putQueue(c.var.deps.db, id, c.req.valid('json'));
      await c.var.deps.wakeQueues({ integrationId: id });
      return c.json(view, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/integrations/{id}/queue/{userId}', tags: ['integrations'],
      request: { params: QueueMemberParamSchema, body: jsonBody(PatchQueueMemberBodySchema) },
      responses: { 200: jsonContent(QueueItemSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id, userId } = c.req.valid('param');
      // The old per-bot flag is now the person's status (every bot): back means their queues may place chats.
      const { away } = c.req.valid('json');
      const item = await setMemberAway(c.var.deps.db, user, id, userId, away);
      if (!away) await c.var.deps.wakeQueues({ userId });
      return c.json(item, 200);
    },
  );
