/**
 * Reports (admins, employees): figures from rollups; `tz` is the viewer's zone. Imported by the
 * reports page only, so it rides in that lazy chunk rather than in `api`.
 */
import type { ReportOverviewWire } from '../../../worker/shared/reports-wire';
import { get, qs, type Query } from './client';

export const reports = {
  overview: (q: Query) => get<ReportOverviewWire>('/api/reports/overview', q),
  csvUrl: (q: Query) => `/api/reports/export.csv${qs(q)}`,
};
