/** Settings → History (administrators): the retention after which closed chats' messages move to R2. */
import { createRoute } from '@hono/zod-openapi';
import { defaultRetentionMonths, historySettings, setRetentionMonths } from '../../domain/history';
import { HistorySettingsBodySchema, HistorySettingsSchema } from '../../shared/history-wire';
import { errorResponses, jsonBody, jsonContent } from '../../shared/wire';
import { requireAllowed } from '../guards';
import { newRouter } from '../router';

export const historySettingsRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/settings/history', tags: ['settings'],
      responses: { 200: jsonContent(HistorySettingsSchema), ...errorResponses(401, 403) },
    }),
    async (c) => {
      requireAllowed(c, 'history:manage');
      return c.json(await historySettings(c.var.deps.db, defaultRetentionMonths(c.env.ARCHIVE_AFTER_MONTHS)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/settings/history', tags: ['settings'], request: { body: jsonBody(HistorySettingsBodySchema) },
      responses: { 200: jsonContent(HistorySettingsSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const admin = requireAllowed(c, 'history:manage');
      const deps = c.var.deps;
      await setRetentionMonths(deps.db, admin.id, c.req.valid('json').archiveAfterMonths, deps.now());
      return c.json(await historySettings(deps.db, defaultRetentionMonths(c.env.ARCHIVE_AFTER_MONTHS)), 200);
    },
  );
