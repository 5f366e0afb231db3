import { createRoute, z } from '@hono/zod-openapi';
import { createUser, listUsers, updateUser } from '../../domain/accounts';
import { CreateUserBodySchema, errorResponses, IdParamSchema, jsonBody, jsonContent, PatchUserBodySchema, UserSchema } from '../../shared/wire';
import { can } from '../../domain/access';
import { releaseAndRequeue } from './routing';
import { requireAllowed } from '../guards';
import { newRouter } from '../router';

/** A colleague as GET /api/users lists them: the email only for those the policy shows emails to (not observers). */
const UserListItemSchema = UserSchema.extend({ email: z.string().optional() }).openapi('UserListItem');

export const userRoutes = newRouter()
  .openapi(
    createRoute({ method: 'get', path: '/users', tags: ['users'], responses: { 200: jsonContent(z.array(UserListItemSchema)), ...errorResponses(401, 403) } }),
    async (c) => {
      const me = requireAllowed(c, 'users:list');
      const all = await listUsers(c.var.deps.db);
      // Everyone picks colleagues (responsible, observers); deactivated accounts and addresses only matter to some.
      const visible = can(me, 'users:list_inactive') ? all : all.filter((u) => u.active);
      const withEmails = can(me, 'users:emails');
      const online = new Set(await c.var.deps.onlineUserIds().catch(() => []));
      return c.json(visible.map(({ createdAt: _, email, ...u }) => ({ ...(withEmails ? { ...u, email } : u), online: online.has(u.id) })), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/users', tags: ['users'],
      request: { body: jsonBody(CreateUserBodySchema) },
      responses: { 201: jsonContent(UserSchema, 'Created'), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      requireAllowed(c, 'users:manage');
      const { createdAt: _, ...user } = await createUser(c.var.deps.db, c.req.valid('json'));
      return c.json(user, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/users/{id}', tags: ['users'],
      request: { params: IdParamSchema, body: jsonBody(PatchUserBodySchema) },
      responses: { 200: jsonContent(UserSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const admin = requireAllowed(c, 'users:manage');
      const { createdAt: _, ...user } = await updateUser(c.var.deps.db, c.req.valid('param').id, c.req.valid('json'));
      // Someone who can no longer take chats gives theirs back to the queues (audited per chat).
      if (!user.active || !can(user, 'chats:take')) await releaseAndRequeue(c.var.deps, admin, user.id, user.active ? 'role_changed' : 'deactivated');
      // Open live sockets re-check right after the response: a deactivated or re-roled user's sessions just ended.
      c.var.deps.userChanged(user.id);
      return c.json(user, 200);
    },
  );
