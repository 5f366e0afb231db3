/**
 * What the BotQueue reads besides the queue itself: who has the app open (only when the bot's rule
 * asks for it) and the previous managers of reopened chats, who need not be in the queue.
 */
import { database } from '../data/db';
import { peopleAsMembers, type RotationSnapshot } from '../domain/routing';
import type { RotationMember } from '../domain/routing';
import type { Env } from '../env';
import { onlineUsersVia } from './inbox-feed';

/** The snapshot with each member's presence, when the rule is "available and online"; otherwise as it is. */
export async function withPresence(env: Env, snapshot: RotationSnapshot): Promise<RotationSnapshot> {
  if (snapshot.rule !== 'available_online' || snapshot.members.length === 0) return snapshot;
  const online = new Set(await onlineUsersVia(env));
  return { ...snapshot, members: snapshot.members.map((m) => ({ ...m, online: online.has(m.userId) })) };
}

/** The people named in `ids` as rotation members: from the snapshot, or read from D1 when outside the queue. */
export async function preferredMembers(env: Env, snapshot: RotationSnapshot, ids: string[]): Promise<Map<string, RotationMember>> {
  const found = new Map<string, RotationMember>();
  if (ids.length === 0) return found;
  for (const m of snapshot.members) if (ids.includes(m.userId)) found.set(m.userId, m);
  const outside = ids.filter((id) => !found.has(id));
  if (outside.length === 0) return found;
  const people = await peopleAsMembers(database(env.DB), outside);
  const online = snapshot.rule === 'available_online' ? new Set(await onlineUsersVia(env)) : new Set<string>();
  for (const p of people) found.set(p.userId, { ...p, online: online.has(p.userId) });
  return found;
}
