/**
 * Time-ordered ids: 9 base36 chars of milliseconds, 3 of a per-isolate sequence, then 9 random base36
 * chars. Sorting by id is sorting by creation time — even within one millisecond in one isolate, so
 * an "opened" event sorts before the message that opened the chat — which keeps keyset cursors and
 * timeline tie-breaks stable. Only [0-9a-z], so an id is one token for FTS column filters.
 */
let lastTime = 0;
let sequence = 0;

export function newId(now = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    sequence = 0;
  } else {
    // Same millisecond (or a clock step back): keep counting under the last time to stay ordered.
    sequence = (sequence + 1) % 46656;
    if (sequence === 0) lastTime += 1;
  }
  const time = lastTime.toString(36).padStart(9, '0');
  const seq = sequence.toString(36).padStart(3, '0');
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  let rand = '';
  for (const b of bytes) rand += (b % 36).toString(36);
  return time + seq + rand;
}
