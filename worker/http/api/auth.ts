import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { login, logout, tooManyAttempts } from '../../domain/accounts';
import { DomainError } from '../../shared/errors';
import { database } from '../../data/db';
import { errorResponses, jsonBody, jsonContent, LoginBodySchema, UserSchema } from '../../shared/wire';
import { z } from '@hono/zod-openapi';
import { requireUser } from '../guards';
import { newRouter } from '../router';
import { clearSessionCookie, sessionToken, setSessionCookie } from '../session';

/**
 * A flood gate per client address, before any database work: the binding counts every request in
 * memory at the edge. Failed passwords per address are limited much tighter in the domain
 * (reserveAddressAttempt), where a success does not count. Only Cloudflare's edge (and wrangler dev)
 * sets CF-Connecting-IP; a request without it is an internal call.
 */
export async function limitByAddress(c: Context<AppEnv>): Promise<string | undefined> {
  const address = c.req.header('cf-connecting-ip');
  if (!address) return undefined;
  const { success } = await c.env.LOGIN_RATE_LIMITER.limit({ key: `login:${address}` });
  if (!success) throw tooManyAttempts(60_000);
  return address;
}

export const authRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/auth/login', tags: ['auth'],
      request: { body: jsonBody(LoginBodySchema) },
      responses: { 200: jsonContent(z.object({ user: UserSchema })), ...errorResponses(400, 401, 429) },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const address = await limitByAddress(c);
      const session = await login(database(c.env.DB), email, password, Date.now(), { userAgent: c.req.header('user-agent'), address });
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
