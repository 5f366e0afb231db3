/** D1 keeps integer milliseconds; the wire carries ISO-8601 UTC strings. */
export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : iso(ms));
