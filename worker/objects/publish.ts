import { database } from '../data/db';
import type { LiveChange, Publish } from '../domain/live';
import { buildLive, planLive } from '../domain/live';
import type { Env } from '../env';
import { toMessageItem } from '../data/message-item';
import { chatRoom } from './chat-room';
import { inboxFeed } from './inbox-feed';

/**
 * Hands durable changes to the live fan-out. Called after the response (ctx.waitUntil), so it never
 * throws: a lost live frame is repaired by the client's next refetch, a thrown error would only be noise.
 * Cost per call: one D1 batch, one RPC to the inbox feed (if a list changed) and one per affected chat
 * room, all in parallel.
 */
export function publisherVia(env: Env): Publish {
  return async (changes: LiveChange[]) => {
    if (changes.length === 0) return;
    try {
      const { inbox, rooms } = await buildLive(database(env.DB), planLive(changes), toMessageItem);
      const calls: Promise<void>[] = rooms.filter((push) => push.frames.length > 0).map((push) => chatRoom(env, push.chatId).publish(push));
      if (inbox.length > 0) calls.push(inboxFeed(env).publish(inbox));
      const results = await Promise.allSettled(calls);
      for (const r of results) if (r.status === 'rejected') console.error('live publish failed', r.reason);
    } catch (err) {
      console.error('live publish failed', err);
    }
  };
}

/** Tells the live objects a user was edited, so a deactivated or re-roled user's open sockets close now. */
export async function userChangedVia(env: Env, userId: string): Promise<void> {
  try {
    await inboxFeed(env).userChanged(userId);
  } catch (err) {
    console.error('live userChanged failed', err);
  }
}
