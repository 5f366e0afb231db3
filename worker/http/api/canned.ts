/** Canned responses: staff list the shared set and their own, keep their own; admins manage the shared set. */
import { createRoute } from '@hono/zod-openapi';
import { createCannedResponse, deleteCannedResponse, listCannedResponses, updateCannedResponse, type CannedView } from '../../domain/canned';
import { CannedListSchema, CannedResponseSchema, CreateCannedBodySchema, PatchCannedBodySchema } from '../../shared/canned-wire';
import { isoOrNull } from '../../shared/crm-wire';
import { errorResponses, IdParamSchema, jsonBody, jsonContent } from '../../shared/wire';
import { requireAllowed } from '../guards';
import { newRouter } from '../router';

const toWire = (r: CannedView) => ({ ...r, createdAt: isoOrNull(r.createdAt)!, updatedAt: isoOrNull(r.updatedAt)! });

export const cannedRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/canned-responses', tags: ['canned'],
      description: 'The shared canned responses and the caller\'s own, by shortcut (observers: 403)',
      responses: { 200: jsonContent(CannedListSchema), ...errorResponses(401, 403) },
    }),
    async (c) => {
      const user = requireAllowed(c, 'canned:use');
      return c.json({ items: (await listCannedResponses(c.var.deps.db, user)).map(toWire) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/canned-responses', tags: ['canned'],
      description: 'Saves a personal response, or a shared one (admins). 400 unknown_variable names a {{variable}} nobody fills in; 409 shortcut_taken, too_many_canned_responses',
      request: { body: jsonBody(CreateCannedBodySchema) },
      responses: { 201: jsonContent(CannedResponseSchema, 'Created'), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      const user = requireAllowed(c, 'canned:use');
      return c.json(toWire(await createCannedResponse(c.var.deps, user, c.req.valid('json'))), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/canned-responses/{id}', tags: ['canned'],
      description: 'Changes one\'s own response, or a shared one (admins; employees 403). Someone else\'s personal response is 404',
      request: { params: IdParamSchema, body: jsonBody(PatchCannedBodySchema) },
      responses: { 200: jsonContent(CannedResponseSchema), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const user = requireAllowed(c, 'canned:use');
      return c.json(toWire(await updateCannedResponse(c.var.deps, user, c.req.valid('param').id, c.req.valid('json'))), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/canned-responses/{id}', tags: ['canned'],
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const user = requireAllowed(c, 'canned:use');
      await deleteCannedResponse(c.var.deps.db, user, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
