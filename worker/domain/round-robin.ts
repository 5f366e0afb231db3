/**
 * The round-robin arithmetic of a bot's queue, as a pure function: the BotQueue Durable Object calls it
 * inside its single-threaded turn, tests call it directly.
 */

/** One queue member as the decision needs it, in queue order. */
export interface RotationMember {
  userId: string;
  away: boolean;
  active: boolean;
  openChats: number;
}

/**
 * Who got the last chat and where they stood in the list at that moment. The position lets the
 * rotation continue in place when that person has since been removed from the queue.
 */
export interface RotationCursor {
  userId: string;
  position: number;
}

/**
 * The next manager after `last`: the first eligible member following the last one's current place
 * (or, if they left the queue, starting at the place they had, which their successor now holds).
 * Eligible = active, not away, and below `cap` open chats when a cap is set. Null when nobody is.
 */
export function nextInRotation(queue: readonly RotationMember[], cap: number | null, last: RotationCursor | null): RotationCursor | null {
  const n = queue.length;
  if (n === 0) return null;
  const stillThere = last ? queue.findIndex((m) => m.userId === last.userId) : -1;
  const start = !last ? 0 : stillThere >= 0 ? stillThere + 1 : Math.max(0, last.position);
  for (let i = 0; i < n; i++) {
    const position = (start + i) % n;
    const member = queue[position];
    if (isEligible(member, cap)) return { userId: member.userId, position };
  }
  return null;
}

function isEligible(member: RotationMember, cap: number | null): boolean {
  return member.active && !member.away && (cap === null || member.openChats < cap);
}
