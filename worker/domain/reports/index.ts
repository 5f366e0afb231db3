/** The reports capability's public face: figures read from rollups that triggers keep (migration 0020). */
export { reportOverview, type Overview, type Figures, type Duration, type ManagerRow, type ReportFilter } from './overview';
export { MAX_RANGE_DAYS } from './range';
export { bucketLowerMs, bucketOf, quantile, BUCKET_COUNT } from './buckets';
export { overviewCsv } from './csv';
