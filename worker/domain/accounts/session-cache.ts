/**
 * Sessions this isolate resolved a moment ago. A manager's screen asks in bursts (opening a chat fetches
 * its timeline, side panel, contact and notes at once; lists refresh as frames arrive), and each request
 * paid a D1 read to learn the same thing about the same cookie; now a burst pays one.
 *
 * An entry lives SESSION_CACHE_MS. Ending a session, editing or deactivating a user in this isolate
 * forgets at once; in another isolate (production runs many) the change is seen at most that late. Live
 * sockets already accept a longer bound (chat rooms re-check their sessions every 15 s, the inbox feed
 * every 60 s), and they are opened only on a fresh read (worker/http/session.ts).
 */
import type { UserStatus } from '../../data/schema';
import type { SessionUser } from '../access';

export const SESSION_CACHE_MS = 10_000;
/** Bounds the isolate's memory: past this many the oldest entry goes (a Map keeps insertion order). */
export const SESSION_CACHE_MAX = 2_000;

export interface CachedSession {
  user: SessionUser & { status: UserStatus };
  lastSeenAt: number | null;
  /** When the session itself expires: an entry never outlives it. */
  expiresAt: number;
  /** When this entry must be read again from D1. */
  until: number;
}

const entries = new Map<string, CachedSession>();
/**
 * Counts the forgets: a read that began before one must not put back what it forgot (a request whose
 * session SELECT ran before a logout can finish after it).
 */
let generation = 0;

/** Taken before reading a session from D1; `rememberSession` keeps the row only if nothing was forgotten since. */
export function cacheGeneration(): number {
  return generation;
}

export function cachedSession(tokenHash: string, now: number): CachedSession | null {
  const entry = entries.get(tokenHash);
  if (!entry) return null;
  if (now >= entry.until || now >= entry.expiresAt) {
    entries.delete(tokenHash);
    return null;
  }
  return entry;
}

export function rememberSession(tokenHash: string, entry: Omit<CachedSession, 'until'>, now: number, readAt = generation): void {
  if (readAt !== generation) return;
  entries.delete(tokenHash);
  if (entries.size >= SESSION_CACHE_MAX) entries.delete(entries.keys().next().value!);
  entries.set(tokenHash, { ...entry, until: now + SESSION_CACHE_MS });
}

export function forgetSession(tokenHash: string): void {
  generation++;
  entries.delete(tokenHash);
}

/** Every cached session of these users: their role, name or sessions changed. */
export function forgetUserSessions(userId: string): void {
  generation++;
  for (const [hash, entry] of entries) if (entry.user.id === userId) entries.delete(hash);
}

/** How many entries are held (tests check the bound). */
export function cachedSessionCount(): number {
  return entries.size;
}
