/** Wire shapes of the reports (GET /api/reports/overview and /api/reports/export.csv). Durations are milliseconds. */
import { z } from '@hono/zod-openapi';

const id = z.string().min(1).max(64);
const day = z.string().max(40).refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) ? !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) : z.iso.datetime({ offset: true }).safeParse(v).success, {
  message: 'A date (YYYY-MM-DD) or an ISO date-time',
});

export const ReportQuerySchema = z.object({
  from: day.openapi({ description: 'First local day (YYYY-MM-DD, in `tz`), or an ISO instant (its local day)', example: '2026-11-01' }),
  to: day.openapi({ description: 'Last local day, inclusive (YYYY-MM-DD), or an ISO instant (exclusive end); at most 366 days after `from`', example: '2026-11-30' }),
  tz: z.string().min(1).max(64).optional().openapi({ description: "The viewer's IANA time zone (default UTC): days start at its midnight", example: 'America/Sao_Paulo' }),
  integrationId: id.optional(),
  channel: z.string().min(1).max(32).optional(),
  userId: id.optional().openapi({ description: 'One manager' }),
});

const DurationSchema = z.object({
  count: z.number().int(), avgMs: z.number().nullable(),
  p50Ms: z.number().nullable().openapi({ description: 'Median, from log-spaced histogram buckets (within 9%)' }), p90Ms: z.number().nullable(),
});

const CsatSchema = z.object({ count: z.number().int(), average: z.number().nullable().openapi({ description: '1–5, two decimals' }) });

const figureFields = {
  newChats: z.number().int(), reopened: z.number().int(), closed: z.number().int(), messagesIn: z.number().int(), messagesOut: z.number().int(), replies: z.number().int(),
  firstResponse: DurationSchema, firstResponseBusiness: DurationSchema.openapi({ description: 'The same first responses timed in business hours (only the time the integration was open counts); equal to firstResponse for an integration without business hours' }),
  resolution: DurationSchema, unassignedWait: DurationSchema,
  csat: CsatSchema,
};
const FiguresSchema = z.object(figureFields);
const counts = z.array(z.number().int());
const averages = z.array(z.number().nullable());

export const OverviewSchema = z.object({
  range: z.object({ from: z.string(), to: z.string(), tz: z.string(), previousFrom: z.string(), previousTo: z.string() }),
  figures: FiguresSchema.extend({ openNow: z.number().int() }),
  previous: FiguresSchema.openapi({ description: 'The same number of days just before: the change is figures − previous' }),
  series: z.object({
    days: z.array(z.string()), newChats: counts, reopened: counts, closed: counts, messagesIn: counts, messagesOut: counts, replies: counts,
    firstResponseAvgMs: averages, firstResponseBusinessAvgMs: averages, resolutionAvgMs: averages, unassignedWaitAvgMs: averages,
  }),
  managers: z.array(z.object({
    userId: z.string().nullable().openapi({ description: 'null: no manager (unassigned)' }), name: z.string().nullable(),
    newChats: z.number().int(), reopened: z.number().int(), closed: z.number().int(), messagesIn: z.number().int(), replies: z.number().int(),
    firstResponse: DurationSchema, firstResponseBusiness: DurationSchema, resolution: DurationSchema, unassignedWait: DurationSchema, csat: CsatSchema, openNow: z.number().int(),
  })),
}).openapi('ReportOverview');

export type ReportQuery = z.infer<typeof ReportQuerySchema>;
export type ReportOverviewWire = z.infer<typeof OverviewSchema>;
