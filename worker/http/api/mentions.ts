/** My mentions: the list behind the badge, and marking them read. */
import { createRoute } from '@hono/zod-openapi';
import { listMyMentions, readMyMentions } from '../../domain/mentions';
import { MyMentionsQuerySchema, MyMentionsSchema, ReadMentionsBodySchema, UnreadMentionsSchema } from '../../shared/mention-wire';
import { errorResponses, jsonBody, jsonContent } from '../../shared/wire';
import { requireUser } from '../guards';
import { newRouter } from '../router';

export const mentionRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/me/mentions', tags: ['mentions'], request: { query: MyMentionsQuerySchema },
      responses: { 200: jsonContent(MyMentionsSchema, 'Newest first, in chats I may still see; `unread` is the badge'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const { unread, cursor, limit } = c.req.valid('query');
      return c.json(await listMyMentions(c.var.deps.db, requireUser(c), { unread: unread === 'true', cursor, limit }), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/me/mentions/read', tags: ['mentions'], request: { body: jsonBody(ReadMentionsBodySchema) },
      responses: { 200: jsonContent(UnreadMentionsSchema, 'Marked read; the badge after it'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => c.json(await readMyMentions(c.var.deps, requireUser(c), c.req.valid('json')), 200),
  );
