/**
 * Sequence arithmetic of a live stream: which frames a reconnecting client gets. Each Durable Object
 * numbers its durable frames 1, 2, 3… and keeps the last WINDOW_SIZE of them.
 */

/** How many recent frames a stream keeps for catch-up. */
export const WINDOW_SIZE = 500;

export type Replay =
  /** Nothing to catch up on: go live. */
  | { kind: 'live' }
  /** Send the kept frames with seq > after (those the client may see), then go live. */
  | { kind: 'replay'; after: number }
  /** The client's gap is not (or no longer) in the window: it must refetch. */
  | { kind: 'reload' };

/**
 * Decides a (re)connection's catch-up. `head` is the stream's last seq (0 when empty), `oldest` the
 * first seq still kept (null when none is). A cursor ahead of the head comes from a stream that was
 * reset, so it is as unusable as one that fell out of the window.
 */
export function replayFrom(after: number | null, head: number, oldest: number | null): Replay {
  if (after === null) return { kind: 'live' };
  if (after > head) return { kind: 'reload' };
  if (after === head) return { kind: 'live' };
  if (oldest === null || after + 1 < oldest) return { kind: 'reload' };
  return { kind: 'replay', after };
}

/** Parses `?after=`: absent → null; anything but a non-negative safe integer → undefined (refused). */
export function parseAfter(raw: string | undefined | null): number | null | undefined {
  if (raw === undefined || raw === null || raw === '') return null;
  if (!/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}
