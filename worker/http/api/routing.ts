/**
 * A manager's status (their own, or anyone's for an admin) and "Take" from the Unassigned group.
 * A status back to `available` wakes the person's bot queues, which then place their waiting chats.
 */
import { createRoute } from '@hono/zod-openapi';
import { chatCard } from '../../domain/chats';
import { releaseChatsOf, setUserStatus, takeChat } from '../../domain/routing';
import type { SessionUser } from '../../domain/access';
import type { RequestDeps } from '../../domain/runtime';
import { ChatDetailsSchema, ChatIdParamSchema } from '../../shared/chats';
import { StatusBodySchema, UserStatusSchema } from '../../shared/routing-wire';
import { errorResponses, IdParamSchema, jsonBody, jsonContent } from '../../shared/wire';
import { requireUser } from '../guards';
import { newRouter } from '../router';

export const routingRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'put', path: '/me/status', tags: ['auth'], request: { body: jsonBody(StatusBodySchema) },
      responses: { 200: jsonContent(UserStatusSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const [deps, me] = [c.var.deps, requireUser(c)];
      const view = await setUserStatus(deps.db, me, me.id, c.req.valid('json').status);
      if (view.status === 'available') await deps.wakeQueues({ userId: me.id });
      return c.json(view, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/users/{id}/status', tags: ['users'], request: { params: IdParamSchema, body: jsonBody(StatusBodySchema) },
      responses: { 200: jsonContent(UserStatusSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const [deps, actor, { id }] = [c.var.deps, requireUser(c), c.req.valid('param')];
      const view = await setUserStatus(deps.db, actor, id, c.req.valid('json').status);
      if (view.status === 'available') await deps.wakeQueues({ userId: id });
      return c.json(view, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/chats/{id}/take', tags: ['chat actions'], request: { params: ChatIdParamSchema },
      responses: { 200: jsonContent(ChatDetailsSchema, 'Taken: the chat card'), ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const [deps, user, { id }] = [c.var.deps, requireUser(c), c.req.valid('param')];
      await takeChat(deps, user, id);
      return c.json(await chatCard(deps.db, user, id), 200);
    },
  );

/** Unassigns a manager's open chats (deactivated or re-roled) and wakes the bots' queues to place them. */
export async function releaseAndRequeue(deps: RequestDeps, admin: SessionUser, userId: string, reason: 'deactivated' | 'role_changed'): Promise<void> {
  const released = await releaseChatsOf(deps, admin, userId, reason);
  await Promise.all(released.integrationIds.map((integrationId) => deps.wakeQueues({ integrationId })));
}
