/**
 * The integration rows webhooks were last verified against, per isolate and for a short while: a warm
 * webhook checks its credentials before touching D1. A stale entry can never write through: ingest's
 * one-round-trip batch is guarded by these very credential columns (see domain/ingest/known-chat.ts),
 * and whatever it cannot settle goes the full way, which reads the row afresh.
 */
import type { integrations } from '../../data/schema';

export type CachedIntegration = typeof integrations.$inferSelect;

/** Long enough to serve a burst, short enough that a change made elsewhere is seen soon. */
export const INTEGRATION_CACHE_TTL_MS = 30_000;
const MAX_KEPT = 1000;

const kept = new Map<string, { row: CachedIntegration; until: number }>();

/** The row kept for this webhook URL, if it is fresh. */
export function cachedIntegration(channel: string, integrationId: string, now = Date.now()): CachedIntegration | null {
  const hit = kept.get(integrationId);
  if (!hit || hit.until <= now || hit.row.channel !== channel) return null;
  return hit.row;
}

/** Keeps a row that was just read (an enabled, not removed integration). */
export function keepIntegration(row: CachedIntegration, now = Date.now()): void {
  if (kept.size >= MAX_KEPT && !kept.has(row.id)) kept.clear();
  kept.set(row.id, { row, until: now + INTEGRATION_CACHE_TTL_MS });
}

/** Forgets a row: it was not found, or it no longer matches what D1 holds. */
export function forgetIntegration(integrationId: string): void {
  kept.delete(integrationId);
}
