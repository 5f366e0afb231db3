/**
 * Time-ordered ids, 15 characters: 8 base36 chars of milliseconds, 1 of a per-isolate sequence, then 6
 * random base36 chars. Sorting by id is sorting by creation time — even within one millisecond in one
 * isolate, so an "opened" event sorts before the message that opened the chat — which keeps keyset
 * cursors and timeline tie-breaks stable. Only [0-9a-z], so an id is one token for FTS column filters.
 *
 * Why this short: an id is stored wherever a row names another (a message holds its own, its chat's and
 * its author's; each index repeats its keys), so every character is paid many times per message: on the bench's
 * inbox, 21 → 16 characters saved 53 bytes a message, 16 → 15 another 11.
 * Eight time digits last until 2059 (36^8 ms). An isolate making more than 36 ids in a millisecond runs
 * its time part ahead (a batch of 1,000 by 28 ms), which keeps its ids ordered and unique; nothing reads
 * a time from an id (rows carry their own). The random part only separates ids of two isolates that meet
 * on the same millisecond and sequence number (1 in 2.2 billion then).
 * Ids written before keep their 21 characters ('0' + 8 time digits + 12): they sort before every id of
 * this shape (which starts at 'm'), as their earlier times should.
 */
const SEQUENCE_SPAN = 36;

/**
 * An id maker with its own clock: `tick` turns a time into the id's time unit, written in `timeDigits`
 * base36 digits, then one digit of sequence and `randomDigits` random ones.
 */
function timeOrderedIds(tick: (now: number) => number, timeDigits: number, randomDigits: number) {
  let last = 0;
  let sequence = 0;
  return (now: number): string => {
    const unit = tick(now);
    if (unit > last) {
      last = unit;
      sequence = 0;
    } else {
      // Same unit (or a clock step back): keep counting under the last time to stay ordered.
      sequence = (sequence + 1) % SEQUENCE_SPAN;
      if (sequence === 0) last += 1;
    }
    const bytes = crypto.getRandomValues(new Uint8Array(randomDigits));
    let rand = '';
    for (const b of bytes) rand += (b % 36).toString(36);
    return last.toString(36).padStart(timeDigits, '0') + sequence.toString(36) + rand;
  };
}

const messageIds = timeOrderedIds((ms) => ms, 8, 6);

export function newId(now = Date.now()): string {
  return messageIds(now);
}

/**
 * Ids of the rows a team makes by hand and every busy row names: people (a message's author, a chat's
 * manager, an event's actor) and bots (every chat, identity and report row). Each report row holds both,
 * and the report tables keep a row per hour, bot and manager, so on the bench's inbox 15 → 9 characters
 * here saved ~10 bytes a message (more with more managers). 9 characters: 6 base36 digits of seconds
 * since 2026 (until 2094), 1 of a per-isolate sequence, 2 random. Two isolates making one in the same
 * second meet 1 time in 1,296, so their inserts retry with a fresh id (insertWithFreshId). Ids made
 * before keep their 15 or 21 characters (nothing reads a time or a length from an id).
 */
const SHORT_EPOCH_MS = Date.UTC(2026, 0, 1);
const shortIds = timeOrderedIds((ms) => Math.max(0, Math.floor((ms - SHORT_EPOCH_MS) / 1000)), 6, 2);

export function newShortId(now = Date.now()): string {
  return shortIds(now);
}

/**
 * Ids of the rows a new client's webhook makes (its contact, its chat and the chat's opportunity): 9
 * characters of the same shape as newShortId, from their own sequence. A chat's id is the most repeated key in the database (each of
 * its messages holds it, and the timeline index, the dedup index, the search index, its events and the
 * chat's own ten indexes repeat it), so each character saved here is ~6 bytes a message on the bench's
 * inbox. Two isolates making one in the same second with the same sequence digit meet 1 time in 1,296:
 * the webhook's batch then fails on the primary key and ingest plans the update again under fresh ids
 * (ingestUpdate's retry for a lost race, which a constraint error starts), so a collision costs a second
 * try, never a wrong row. Within one isolate they are unique and ordered, as newShortId's.
 */
const conversationIds = timeOrderedIds((ms) => Math.max(0, Math.floor((ms - SHORT_EPOCH_MS) / 1000)), 6, 2);

export function newConversationId(now = Date.now()): string {
  return conversationIds(now);
}

/**
 * Inserts a row under a fresh short id, again under another if that id was taken in the meantime.
 * `insert` returns whether its row went in (an `ON CONFLICT (id) DO NOTHING` that returned it).
 */
export async function insertWithFreshId(now: number, insert: (id: string) => Promise<boolean>): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const id = newShortId(now);
    if (await insert(id)) return id;
    if (attempt === 4) throw new Error('no free id after 5 attempts');
  }
}
