/**
 * Live frames: the JSON the Worker sends over `GET /api/live` (inbox feed) and
 * `GET /api/chats/:id/live` (one chat). Types only, so web/ can import them without bundling the Worker.
 *
 * Sequence numbers: every frame has `seq`. Durable frames (no `ephemeral` flag) get the next number of
 * their stream, are kept in a window of the last frames, and are replayed to a client that reconnects with
 * `?after=<last seq it saw>`. Ephemeral frames (`ephemeral: true`: ready, reload, bye, error, counts,
 * typing, presence) are never replayed and carry the stream's current position, which the client may adopt
 * as its cursor: all durable frames up to it that it may see have already been sent to it.
 * The server sends nothing twice; a client only needs `lastSeq = Math.max(lastSeq, frame.seq)`, except
 * after `reload`, whose `seq` replaces the cursor (the stream may have been reset).
 */
import type { ChatCounts, ChatListItem, TimelineItem } from './chats';
import type { MessageItem } from './messages';
import type { Mention } from './mention-wire';

export type TimelineEvent = Extract<TimelineItem, { kind: 'event' }>;

/** Why a chat frame was sent; one frame may carry several (a new chat arrives as ['created', 'message']). */
export type ChatChange = 'created' | 'message' | 'assigned' | 'unassigned' | 'closed' | 'reopened' | 'observers' | 'tags' | 'read' | 'updated';

/**
 * Why a chat left its manager without them doing it: no reply within the bot's time, or they can no
 * longer take chats (deactivated, made an observer). The old manager's inbox frame says so.
 */
export type TakenAwayReason = 'no_reply' | 'deactivated' | 'role_changed';

/** Changes that move a chat between the mine / unassigned / others / closed groups (or in/out of an observer's view). */
export const groupChanges: readonly ChatChange[] = ['created', 'assigned', 'unassigned', 'closed', 'reopened', 'observers'];

/** WebSocket close codes the server uses, besides the standard ones. */
export const liveCloseCodes = {
  /** The session ended (logout, expiry, role change, deactivation): log in again, do not reconnect. */
  sessionEnded: 4401,
  /** This user may no longer see this chat (e.g. no longer an observer of it): leave the chat view. */
  forbidden: 4403,
  /**
   * Too many sockets (per session or per user on one stream) or a sustained flood of client frames.
   * Reconnecting at once would be refused again: back off. (1009 closes a frame over the size limit.)
   */
  tooMany: 4429,
} as const;

interface Durable {
  seq: number;
  ephemeral?: undefined;
}
interface Ephemeral {
  seq: number;
  ephemeral: true;
}

/** Frames both streams may send. */
export type StreamFrame =
  /** Sent once per connection, after any replay: from here on frames are live. */
  | (Ephemeral & { type: 'ready' })
  /** The gap since `after` is no longer in the window (or the stream was reset): refetch, then use this seq. */
  | (Ephemeral & { type: 'reload' })
  /** Sent just before the server closes the socket with a `liveCloseCodes` code. */
  | (Ephemeral & { type: 'bye'; reason: 'session_ended' | 'forbidden' })
  /** A client frame was refused (e.g. an observer sending typing); the socket stays open. */
  | (Ephemeral & { type: 'error'; code: 'forbidden' | 'bad_frame'; message: string });

/**
 * `GET /api/live`. `chat` is exactly a `GET /api/chats` list item as the receiving user would see it
 * (its own unread/unreadCount/muted). `message` is the newest message this change added (the client's,
 * if there is one), else null. `notify` is true when that message is a new client message in a chat
 * the user is responsible for or observes and has not muted: show a browser notification.
 * `takenAway` is only in the frame sent to the manager the chat was just taken from (see TakenAwayReason):
 * tell them, whoever has it now (`responsibleId`, null when it waits in Unassigned).
 */
export type InboxFrame =
  | StreamFrame
  | (Durable & { type: 'chat'; changes: ChatChange[]; chat: ChatListItem; message: MessageItem | null; notify: boolean; takenAway?: { reason: TakenAwayReason; responsibleId: string | null } })
  /** An observer stopped observing this chat: drop it from the lists. */
  | (Durable & { type: 'chat_removed'; chatId: string })
  /** The user's group counts; sent after connecting and whenever a chat changed group. */
  | (Ephemeral & { type: 'counts'; counts: ChatCounts })
  /**
   * Only to the person concerned: their mentions changed. `unread` is their badge; `mention` is the one
   * that just arrived (null when some were read). Not replayed: after `ready`, refetch GET /api/me/mentions.
   */
  | (Ephemeral & { type: 'mentions'; unread: number; mention: Mention | null });

/** The chat header facts a chat view keeps current (details such as tags are refetched on their event). */
export interface LiveChatState {
  id: string;
  status: 'open' | 'closed';
  responsibleId: string | null;
  observerIds: string[];
  lastMessageAt: string;
  closedAt: string | null;
}

export interface PresentUser {
  id: string;
  name: string;
}

/**
 * `GET /api/chats/:id/live`. `message` / `event` are exactly timeline items of
 * `GET /api/chats/:id/timeline`. `message_status` carries the whole updated message (delivery status,
 * error, or an edited text). `typing` is never echoed to the typist's own tabs.
 */
export type ChatFrame =
  | StreamFrame
  | (Durable & { type: 'message'; chatId: string; message: MessageItem })
  | (Durable & { type: 'message_status'; chatId: string; id: string; status: MessageItem['status']; error: string | null; message: MessageItem })
  | (Durable & { type: 'event'; chatId: string; event: TimelineEvent })
  | (Durable & { type: 'chat'; chatId: string; changes: ChatChange[]; chat: LiveChatState })
  | (Ephemeral & { type: 'typing'; userId: string; name: string })
  /** Everyone viewing the chat now (one entry per user, however many tabs); sent once, right after `ready`. */
  | (Ephemeral & { type: 'presence'; users: PresentUser[] })
  /**
   * What changed in `presence` since: users who came (their first tab) and ids of users who left (their
   * last tab). Sent to the others on every such change, so a join costs one small frame per viewer.
   */
  | (Ephemeral & { type: 'presence_diff'; joined: PresentUser[]; left: string[] });

/** What a client may send on a chat socket (the text "ping" is also answered with "pong"). */
export type ChatClientFrame = { type: 'typing' };
