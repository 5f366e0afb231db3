/**
 * Time-ordered ids: 9 base36 chars of milliseconds, then 12 random base36 chars. Sorting by id is
 * sorting by creation time, which keeps keyset cursors and timeline tie-breaks stable. Only [0-9a-z],
 * so an id is one token for FTS column filters.
 */
export function newId(now = Date.now()): string {
  const time = now.toString(36).padStart(9, '0');
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let rand = '';
  for (const b of bytes) rand += (b % 36).toString(36);
  return time + rand;
}
