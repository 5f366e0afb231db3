/** Reports (admins and employees): the overview as JSON, and the same as CSV. Both read rollups only. */
import { createRoute } from '@hono/zod-openapi';
import { overviewCsv, reportOverview } from '../../domain/reports';
import { OverviewSchema, ReportQuerySchema } from '../../shared/reports-wire';
import { errorResponses, jsonContent } from '../../shared/wire';
import { requireAllowed } from '../guards';
import { newRouter } from '../router';

export const reportRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/reports/overview', tags: ['reports'],
      request: { query: ReportQuerySchema },
      responses: { 200: jsonContent(OverviewSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      requireAllowed(c, 'reports:view');
      return c.json(await reportOverview(c.var.deps.db, c.req.valid('query')), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/reports/export.csv', tags: ['reports'],
      request: { query: ReportQuerySchema },
      responses: { 200: { description: 'The overview as CSV: headline figures (and the previous period), each day, each manager', content: { 'text/csv': { schema: { type: 'string' } } } }, ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      requireAllowed(c, 'reports:view');
      const report = await reportOverview(c.var.deps.db, c.req.valid('query'));
      return c.body(overviewCsv(report), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="ponte-report-${report.range.from}-${report.range.to}.csv"`,
      });
    },
  );
