/** The reports capability's public face: figures read from rollups that triggers keep (migrations 0023, 0025, 0027). */
export { reportOverview, type Overview, type Figures, type Duration, type ManagerRow, type ReportFilter } from './overview';
export { MAX_RANGE_DAYS } from './range';
export { bucketLowerMs, bucketOf, quantile, BUCKET_COUNT } from './buckets';
export { overviewCsv } from './csv';
export { businessReplyWrites, businessFirstResponseMs, pendingBusinessSql, PENDING_PAGE_SQL, type PendingFirstResponse } from './business-frt';
