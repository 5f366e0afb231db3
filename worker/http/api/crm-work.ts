/** Tasks and projects: employees and admins create and edit, observers only read. */
import { createRoute } from '@hono/zod-openapi';
import { createProject, listProjects, type ProjectView } from '../../domain/crm';
import { createTask, listTasks, updateTask } from '../../domain/crm';
import {
  CreateProjectBodySchema, CreateTaskBodySchema, isoOrNull, ListOf, msOrNull, PatchTaskBodySchema, ProjectQuerySchema, ProjectSchema, TaskQuerySchema, TaskSchema,
} from '../../shared/crm-wire';
import { errorResponses, IdParamSchema, jsonBody, jsonContent } from '../../shared/wire';
import { requireAllowed, requireCrmRead } from '../guards';
import { newRouter } from '../router';
import { taskWire } from './crm-views';

const projectWire = (p: ProjectView) => ({ ...p, createdAt: isoOrNull(p.createdAt)! });

export const workRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/tasks', tags: ['crm'],
      request: { query: TaskQuerySchema },
      responses: { 200: jsonContent(ListOf(TaskSchema)), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = requireCrmRead(c, !!c.req.valid('query').chatId);
      return c.json({ items: (await listTasks(c.var.deps.db, user, c.req.valid('query'))).map(taskWire) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/tasks', tags: ['crm'],
      request: { body: jsonBody(CreateTaskBodySchema) },
      responses: { 201: jsonContent(TaskSchema, 'Created'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = requireAllowed(c, 'crm:write');
      const body = c.req.valid('json');
      return c.json(taskWire(await createTask(c.var.deps, user, { ...body, dueAt: msOrNull(body.dueAt) })), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch', path: '/tasks/{id}', tags: ['crm'],
      request: { params: IdParamSchema, body: jsonBody(PatchTaskBodySchema) },
      responses: { 200: jsonContent(TaskSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      requireAllowed(c, 'crm:write');
      const body = c.req.valid('json');
      return c.json(taskWire(await updateTask(c.var.deps, c.req.valid('param').id, { ...body, dueAt: msOrNull(body.dueAt) })), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/projects', tags: ['crm'],
      request: { query: ProjectQuerySchema },
      responses: { 200: jsonContent(ListOf(ProjectSchema)), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = requireCrmRead(c, !!c.req.valid('query').chatId);
      return c.json({ items: (await listProjects(c.var.deps.db, user, c.req.valid('query'))).map(projectWire) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/projects', tags: ['crm'],
      request: { body: jsonBody(CreateProjectBodySchema) },
      responses: { 201: jsonContent(ProjectSchema, 'Created'), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = requireAllowed(c, 'crm:write');
      return c.json(projectWire(await createProject(c.var.deps, user, c.req.valid('json'))), 201);
    },
  );
