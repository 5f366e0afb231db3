/** Messenger integrations: everyone logged in lists them; admins connect, configure and disconnect. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  connectIntegration, disconnectIntegration, listIntegrations, updateIntegration, type IntegrationDeps, type IntegrationView,
} from '../../domain/integrations';
import { messengerConfig } from '../../outbox-deps';
import type { AppEnv } from '../../env';
import { CreateIntegrationBodySchema, IntegrationSchema, PatchIntegrationBodySchema, type Integration } from '../../shared/integrations';
import { errorResponses, IdParamSchema, jsonBody, jsonContent } from '../../shared/wire';
import { requireAllowed } from '../guards';
import { newRouter } from '../router';

function deps(c: Context<AppEnv>): IntegrationDeps {
  return { db: c.var.deps.db, messengers: messengerConfig(c.env), publicUrl: c.env.PUBLIC_URL };
}

function toWire(v: IntegrationView): Integration {
  return { ...v, createdAt: new Date(v.createdAt).toISOString() };
}

export const integrationRoutes = newRouter()
  .openapi(
    createRoute({ method: 'get', path: '/integrations', tags: ['integrations'], responses: { 200: jsonContent(z.array(IntegrationSchema)), ...errorResponses(401, 403) } }),
    async (c) => {
      requireAllowed(c, 'integrations:list');
      return c.json((await listIntegrations(c.var.deps.db)).map(toWire), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/integrations', tags: ['integrations'],
      request: { body: jsonBody(CreateIntegrationBodySchema) },
      responses: { 201: jsonContent(IntegrationSchema, 'Connected'), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      requireAllowed(c, 'integrations:manage');
      return c.json(toWire(await connectIntegration(deps(c), c.req.valid('json'))), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/integrations/{id}', tags: ['integrations'],
      request: { params: IdParamSchema, body: jsonBody(PatchIntegrationBodySchema) },
      responses: { 200: jsonContent(IntegrationSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      requireAllowed(c, 'integrations:manage');
      const { id } = c.req.valid('param');
      const view = await updateIntegration(c.var.deps.db, id, c.req.valid('json'));
      // A looser rule, a higher cap or a new reply timer changes what the bot's queue may do now.
      await c.var.deps.wakeQueues({ integrationId: id });
      return c.json(toWire(view), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/integrations/{id}', tags: ['integrations'],
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Disconnected; chats and history stay' }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      requireAllowed(c, 'integrations:manage');
      await disconnectIntegration(deps(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
