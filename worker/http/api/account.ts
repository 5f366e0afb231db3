/** A user's own account: change the password (other sessions end), list and end sessions. */
import { createRoute, z } from '@hono/zod-openapi';
import { changeOwnPassword, listSessions, revokeSession, type SessionView } from '../../domain/accounts';
import { ChangePasswordBodySchema, SessionIdParamSchema, SessionSchema, type Session } from '../../shared/account-wire';
import { errorResponses, jsonBody, jsonContent } from '../../shared/wire';
import { requireUser } from '../guards';
import { newRouter } from '../router';
import { clearSessionCookie, sessionToken } from '../session';

const iso = (ms: number) => new Date(ms).toISOString();

function toWire(s: SessionView): Session {
  return {
    id: s.id, createdAt: iso(s.createdAt), current: s.current,
    ...(s.lastSeenAt !== null ? { lastSeenAt: iso(s.lastSeenAt) } : {}),
    ...(s.userAgent ? { userAgent: s.userAgent } : {}),
  };
}

export const accountRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'put', path: '/me/password', tags: ['auth'],
      request: { body: jsonBody(ChangePasswordBodySchema) },
      responses: { 204: { description: 'Changed; every other session of this user ended' }, ...errorResponses(400, 401, 429) },
    }),
    async (c) => {
      const user = requireUser(c);
      await changeOwnPassword(c.var.deps.db, user, c.req.valid('json'), sessionToken(c));
      // Sockets opened by the sessions that just ended re-check now.
      c.var.deps.userChanged(user.id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/me/sessions', tags: ['auth'],
      responses: { 200: jsonContent(z.array(SessionSchema)), ...errorResponses(401) },
    }),
    async (c) => {
      const user = requireUser(c);
      const list = await listSessions(c.var.deps.db, user.id, sessionToken(c));
      return c.json(list.map(toWire), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/me/sessions/{id}', tags: ['auth'],
      request: { params: SessionIdParamSchema },
      responses: { 204: { description: 'Session ended' }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { wasCurrent } = await revokeSession(c.var.deps.db, user.id, c.req.valid('param').id, sessionToken(c));
      if (wasCurrent) clearSessionCookie(c);
      c.var.deps.userChanged(user.id);
      return c.body(null, 204);
    },
  );
