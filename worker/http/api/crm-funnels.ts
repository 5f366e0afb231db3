/** Funnels and their ordered stages: everyone logged in reads them, admins create and edit. */
import { createRoute, z } from '@hono/zod-openapi';
import { createFunnel, listFunnels, updateFunnel, type FunnelView } from '../../domain/crm';
import { CreateFunnelBodySchema, FunnelSchema, isoOrNull, PatchFunnelBodySchema } from '../../shared/crm-wire';
import { errorResponses, IdParamSchema, jsonBody, jsonContent } from '../../shared/wire';
import { requireAllowed } from '../guards';
import { newRouter } from '../router';

const toWire = (f: FunnelView) => ({ ...f, createdAt: isoOrNull(f.createdAt)! });

export const funnelRoutes = newRouter()
  .openapi(
    createRoute({ method: 'get', path: '/funnels', tags: ['crm'], responses: { 200: jsonContent(z.array(FunnelSchema)), ...errorResponses(401, 403) } }),
    async (c) => {
      requireAllowed(c, 'funnels:list');
      return c.json((await listFunnels(c.var.deps.db)).map(toWire), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/funnels', tags: ['crm'],
      request: { body: jsonBody(CreateFunnelBodySchema) },
      responses: { 201: jsonContent(FunnelSchema, 'Created'), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      requireAllowed(c, 'funnels:manage');
      return c.json(toWire(await createFunnel(c.var.deps, c.req.valid('json'))), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/funnels/{id}', tags: ['crm'],
      request: { params: IdParamSchema, body: jsonBody(PatchFunnelBodySchema) },
      responses: { 200: jsonContent(FunnelSchema), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      requireAllowed(c, 'funnels:manage');
      return c.json(toWire(await updateFunnel(c.var.deps, c.req.valid('param').id, c.req.valid('json'))), 200);
    },
  );
