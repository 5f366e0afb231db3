/** Reading the inbox: group lists, archive, the chat card, timeline, history search, read marker. */
import { createRoute } from '@hono/zod-openapi';
import { getChat, listArchive, listInbox, markRead, readTimeline, searchHistory } from '../../domain/chats';
import {
  ArchiveQuerySchema, ArchiveResponseSchema, ChatDetailsSchema, ChatIdParamSchema, ChatListQuerySchema, ChatListResponseSchema,
  SearchQuerySchema, SearchResponseSchema, TimelineQuerySchema, TimelineResponseSchema,
} from '../../shared/chats';
import { errorResponses, jsonContent } from '../../shared/wire';
import { requireUser } from '../guards';
import { newRouter } from '../router';

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export const chatRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/chats', tags: ['chats'], request: { query: ChatListQuerySchema },
      responses: { 200: jsonContent(ChatListResponseSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const { group, cursor, limit } = c.req.valid('query');
      return c.json(await listInbox(c.var.deps.db, requireUser(c), group, cursor, limit), 200);
    },
  )
  // Registered before /chats/{id} so "archive" is never taken for an id.
  .openapi(
    createRoute({
      method: 'get', path: '/chats/archive', tags: ['chats'], request: { query: ArchiveQuerySchema },
      responses: { 200: jsonContent(ArchiveResponseSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const { cursor, limit, from, to, startedFrom, startedTo, ...rest } = c.req.valid('query');
      const filters = { ...rest, from: ms(from), to: ms(to), startedFrom: ms(startedFrom), startedTo: ms(startedTo) };
      return c.json(await listArchive(c.var.deps.db, requireUser(c), filters, cursor, limit), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/chats/{id}', tags: ['chats'], request: { params: ChatIdParamSchema },
      responses: { 200: jsonContent(ChatDetailsSchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(await getChat(c.var.deps.db, requireUser(c), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/chats/{id}/timeline', tags: ['chats'], request: { params: ChatIdParamSchema, query: TimelineQuerySchema },
      responses: { 200: jsonContent(TimelineResponseSchema, 'Oldest first within the page; the newest page marks the chat read'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { before, limit } = c.req.valid('query');
      const { items, nextBefore } = await readTimeline(c.var.deps, requireUser(c), c.req.valid('param').id, before, limit);
      return c.json({ items, nextBefore }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/chats/{id}/search', tags: ['chats'], request: { params: ChatIdParamSchema, query: SearchQuerySchema },
      responses: { 200: jsonContent(SearchResponseSchema, 'Matching messages, newest first'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { q, cursor, limit } = c.req.valid('query');
      return c.json(await searchHistory(c.var.deps.db, requireUser(c), c.req.valid('param').id, q, cursor, limit, c.var.deps.media), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/chats/{id}/read', tags: ['chats'], request: { params: ChatIdParamSchema },
      responses: { 204: { description: 'Marked read for the logged-in user' }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      await markRead(c.var.deps, requireUser(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
