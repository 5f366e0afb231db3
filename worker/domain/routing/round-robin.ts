/**
 * The round-robin arithmetic of a bot's queue, as a pure function: the BotQueue Durable Object calls it
 * inside its single-threaded turn, tests call it directly.
 */
import type { AssignmentRule } from '../../data/schema';

/** One queue member as the decision needs it, in queue order. */
export interface RotationMember {
  userId: string;
  /** The person's status is `away`. */
  away: boolean;
  active: boolean;
  openChats: number;
  /** Has the app open (a live socket); only known, and only asked, when the bot's rule needs it. */
  online?: boolean;
}

/** How a bot picks: its rule, and someone to pass over (the manager a chat is being taken from). */
export interface RotationRule {
  rule?: AssignmentRule;
  skip?: string;
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
export function nextInRotation(queue: readonly RotationMember[], cap: number | null, last: RotationCursor | null, how: RotationRule = {}): RotationCursor | null {
  const n = queue.length;
  if (n === 0) return null;
  const stillThere = last ? queue.findIndex((m) => m.userId === last.userId) : -1;
  const start = !last ? 0 : stillThere >= 0 ? stillThere + 1 : Math.max(0, last.position);
  for (let i = 0; i < n; i++) {
    const position = (start + i) % n;
    const member = queue[position];
    if (member.userId !== how.skip && mayTake(member, how.rule ?? 'available') && (cap === null || member.openChats < cap)) return { userId: member.userId, position };
  }
  return null;
}

/**
 * Whether the bot's rule lets this member take chats at all (the cap aside): active, and available
 * unless the bot assigns to everyone, and online too when the bot asks for it.
 */
export function mayTake(member: Pick<RotationMember, 'away' | 'active' | 'online'>, rule: AssignmentRule): boolean {
  if (!member.active) return false;
  if (rule === 'everyone') return true;
  if (member.away) return false;
  return rule === 'available' || member.online === true;
}

/**
 * Adds to each member's open chats the ones this queue handed them that D1 may not show yet. A decision
 * returns before the webhook stores its chat, so a burst would otherwise read stale counts and overshoot
 * the cap. `issued` = who got a decision since some moment; `landed` = how many chats of this bot that
 * started since that same moment D1 already shows per member; the difference is still in flight.
 */
export function withInFlight(members: readonly RotationMember[], issued: readonly string[], landed: Readonly<Record<string, number>>): RotationMember[] {
  const handedOut = new Map<string, number>();
  for (const userId of issued) handedOut.set(userId, (handedOut.get(userId) ?? 0) + 1);
  return members.map((m) => ({ ...m, openChats: m.openChats + Math.max(0, (handedOut.get(m.userId) ?? 0) - (landed[m.userId] ?? 0)) }));
}
