/** The ingest capability's public face: other folders import only this file. */
export { ingestUpdate } from './ingest-update';
export type { ChoiceAck, IngestDeps, IngestIntegration, IngestResult } from './plan';
export { receiveWebhook, type WebhookDeps, type WebhookOutcome, type WebhookRequest } from './receive';
export { KEEP_MS, KEEP_ROWS, RAW_KEEP, recordUnprocessable } from './unprocessable';
