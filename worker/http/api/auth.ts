import { createRoute } from '@hono/zod-openapi';
import { login, logout } from '../../domain/accounts';
import { DomainError } from '../../shared/errors';
import { database } from '../../data/db';
import { errorResponses, jsonBody, jsonContent, LoginBodySchema, UserSchema } from '../../shared/wire';
import { z } from '@hono/zod-openapi';
import { requireUser } from '../guards';
import { newRouter } from '../router';
import { clearSessionCookie, sessionToken, setSessionCookie } from '../session';

export const authRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/auth/login', tags: ['auth'],
      request: { body: jsonBody(LoginBodySchema) },
      responses: { 200: jsonContent(z.object({ user: UserSchema })), ...errorResponses(400, 401) },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const session = await login(database(c.env.DB), email, password);
      if (!session) throw new DomainError(401, 'invalid_credentials', 'Wrong email or password');
      setSessionCookie(c, session.token, session.expiresAt);
      return c.json({ user: session.user }, 200);
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/auth/logout', tags: ['auth'], responses: { 204: { description: 'Logged out' } } }),
    async (c) => {
      const token = sessionToken(c);
      if (token) await logout(database(c.env.DB), token);
      clearSessionCookie(c);
      // Other tabs on this session hold live sockets: have them re-check now rather than at the next timer.
      const user = c.get('user');
      if (user) c.var.deps.userChanged(user.id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ method: 'get', path: '/me', tags: ['auth'], responses: { 200: jsonContent(UserSchema), ...errorResponses(401) } }),
    (c) => c.json(requireUser(c), 200),
  );
