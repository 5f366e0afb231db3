/** Team comments and task/project links on a chat, and the tag list for pickers. */
import { createRoute, z } from '@hono/zod-openapi';
import { addComment, linkChat, listComments, unlinkChat } from '../../domain/chats';
import { listTags } from '../../domain/chats';
import { listMentionable } from '../../domain/mentions';
import { MENTIONABLE_MAX, MentionableQuerySchema, MentionableUserSchema } from '../../shared/mention-wire';
import {
  ChatIdParamSchema, CommentBodySchema, CommentSchema, LinkBodySchema, LinkParamSchema, LinkSchema, TagListQuerySchema, TagListSchema,
} from '../../shared/chats';
import { errorResponses, jsonBody, jsonContent } from '../../shared/wire';
import { requireAllowed, requireUser } from '../guards';
import { newRouter } from '../router';

export const chatNoteRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/chats/{id}/comments', tags: ['chat actions'], request: { params: ChatIdParamSchema },
      responses: { 200: jsonContent(z.array(CommentSchema), 'Oldest first; never sent to the client'), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(await listComments(c.var.deps.db, requireUser(c), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/chats/{id}/comments', tags: ['chat actions'], request: { params: ChatIdParamSchema, body: jsonBody(CommentBodySchema) },
      responses: { 201: jsonContent(CommentSchema, 'Created; 400 `mention_not_allowed` (details.userIds) when someone mentioned may not see the chat'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { comment } = await addComment(c.var.deps, requireUser(c), c.req.valid('param').id, body.text, body.mentions);
      return c.json(comment, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/chats/{id}/mentionable', tags: ['mentions'], request: { params: ChatIdParamSchema, query: MentionableQuerySchema },
      responses: {
        200: jsonContent(z.array(MentionableUserSchema), `Colleagues who may be mentioned in a comment here (active, able to see the chat, not you), by name; at most ${MENTIONABLE_MAX}`),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => c.json(await listMentionable(c.var.deps.db, requireUser(c), c.req.valid('param').id, c.req.valid('query').q), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/chats/{id}/links', tags: ['chat actions'], request: { params: ChatIdParamSchema, body: jsonBody(LinkBodySchema) },
      responses: { 201: jsonContent(LinkSchema, 'Linked'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const target = 'taskId' in body ? { kind: 'task' as const, linkedId: body.taskId } : { kind: 'project' as const, linkedId: body.projectId };
      const { link } = await linkChat(c.var.deps, requireUser(c), c.req.valid('param').id, target);
      return c.json(link, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/chats/{id}/links/{kind}/{linkedId}', tags: ['chat actions'], request: { params: LinkParamSchema },
      responses: { 204: { description: 'Unlinked' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, kind, linkedId } = c.req.valid('param');
      await unlinkChat(c.var.deps, requireUser(c), id, { kind, linkedId });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/tags', tags: ['chat actions'], request: { query: TagListQuerySchema },
      responses: { 200: jsonContent(TagListSchema), ...errorResponses(401, 403) },
    }),
    async (c) => {
      requireAllowed(c, 'chats:list');
      return c.json(await listTags(c.var.deps.db, c.req.valid('query').q), 200);
    },
  );
