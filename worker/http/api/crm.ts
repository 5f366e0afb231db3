/**
 * The CRM API: contacts and opportunities here, funnels and tasks/projects in their own files, all
 * mounted through `crmRoutes`. Employees and admins write; observers read (403 on every write).
 */
import { createRoute } from '@hono/zod-openapi';
import { createOpportunity, listOpportunities, updateOpportunity } from '../../domain/crm';
import { CreateOpportunityBodySchema, ListOf, OpportunityQuerySchema, OpportunitySchema, PatchOpportunityBodySchema } from '../../shared/crm-wire';
import { errorResponses, IdParamSchema, jsonBody, jsonContent } from '../../shared/wire';
import { requireAllowed, requireCrmRead } from '../guards';
import { newRouter } from '../router';
import { boardRoutes } from './crm-board';
import { contactRoutes } from './crm-contacts';
import { funnelRoutes } from './crm-funnels';
import { opportunityWire } from './crm-views';
import { workRoutes } from './crm-work';


const opportunityRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/opportunities', tags: ['crm'],
      request: { query: OpportunityQuerySchema },
      responses: { 200: jsonContent(ListOf(OpportunitySchema)), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = requireCrmRead(c, !!c.req.valid('query').chatId);
      return c.json({ items: (await listOpportunities(c.var.deps.db, user, c.req.valid('query'))).map(opportunityWire) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/opportunities', tags: ['crm'],
      request: { body: jsonBody(CreateOpportunityBodySchema) },
      responses: { 201: jsonContent(OpportunitySchema, 'Created'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const user = requireAllowed(c, 'crm:write');
      return c.json(opportunityWire(await createOpportunity(c.var.deps, user, c.req.valid('json'))), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/opportunities/{id}', tags: ['crm'],
      request: { params: IdParamSchema, body: jsonBody(PatchOpportunityBodySchema) },
      responses: { 200: jsonContent(OpportunitySchema), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const user = requireAllowed(c, 'crm:write');
      return c.json(opportunityWire(await updateOpportunity(c.var.deps, user, c.req.valid('param').id, c.req.valid('json'))), 200);
    },
  );

export const crmRoutes = newRouter()
  .route('/', funnelRoutes)
  .route('/', boardRoutes)
  .route('/', contactRoutes)
  .route('/', opportunityRoutes)
  .route('/', workRoutes);
