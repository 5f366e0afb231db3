import { database } from '../data/db';
import type { LiveChange, Publish } from '../domain/live';
import { buildLive, planLive, renderLive } from '../domain/live';
import type { LiveRows } from '../data/live-reads';
import type { Env } from '../env';
import type { MentionNotice } from '../shared/mention-wire';
import { toMessageItem } from '../data/message-item';
import { chatRoom } from './chat-room';
import { inboxFeed } from './inbox-feed';

/** A publish that may be handed the rows `buildLive` would read (all of them, for every change). */
export type PublishWithRows = Publish & ((changes: LiveChange[], rows?: LiveRows) => Promise<void>);

/**
 * Hands durable changes to the live fan-out. Called after the response (ctx.waitUntil), so it never
 * throws: a lost live frame is repaired by the client's next refetch, a thrown error would only be noise.
 * Cost per call: one D1 batch (none when handed the rows), one RPC to the inbox feed (if a list changed)
 * and one per affected chat room, all in parallel.
 */
export function publisherVia(env: Env): PublishWithRows {
  return async (changes: LiveChange[], rows?: LiveRows) => {
    if (changes.length === 0) return;
    try {
      const plans = planLive(changes);
      // Rows the write already returned (ingest's hot path) spare the D1 read.
      const { inbox, rooms } = rows ? renderLive(plans, rows, toMessageItem) : await buildLive(database(env.DB), plans, toMessageItem);
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

/** Tells people's open inbox tabs their mentions changed; after the response, so it never throws. */
export async function notifyUsersVia(env: Env, notices: MentionNotice[]): Promise<void> {
  try {
    if (notices.length > 0) await inboxFeed(env).notifyUsers(notices);
  } catch (err) {
    console.error('live notifyUsers failed', err);
  }
}
