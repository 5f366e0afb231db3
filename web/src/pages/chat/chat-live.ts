/**
 * The open chat's live socket: its frames applied to the timeline, details and comments, plus the
 * two things only the socket knows: which colleagues are typing and who else has the chat open.
 */
import { createSignal, onCleanup } from 'solid-js';
import { openLive } from '../../api/live';
import type { ChatFrame, PresentUser, TimelineMessage } from '../../api/types';
import { t } from '../../i18n';
import { me, userName } from '../../state/session';
import type { ChatState } from './chat-state';
import type { CommentsModel } from './comments';
import type { Timeline } from './timeline-store';

/** Typing frames repeat while someone types; a silence this long means they stopped without sending. */
const TYPING_TTL_MS = 6000;

export interface ChatLiveOptions {
  chatId: string;
  chat: ChatState;
  timeline: Timeline;
  comments: CommentsModel;
  /** Marks the chat read if the user can see it; called when a client message arrives. */
  markRead: () => void;
  /** The server closed with 4403: this user may no longer see the chat. */
  onForbidden: () => void;
}

export function createChatLive(opts: ChatLiveOptions) {
  const { chat, timeline, comments, markRead } = opts;

  /** userId → display name of colleagues typing right now */
  const [typing, setTyping] = createSignal<Record<string, string>>({});
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  function userTyping(userId: string, name: string | undefined) {
    if (userId === me()?.id) return;
    clearTimeout(typingTimers.get(userId));
    typingTimers.set(userId, setTimeout(() => stopTyping(userId), TYPING_TTL_MS));
    if (!(userId in typing())) setTyping({ ...typing(), [userId]: name || userName(userId) });
  }
  function stopTyping(userId: string) {
    clearTimeout(typingTimers.get(userId));
    typingTimers.delete(userId);
    if (!(userId in typing())) return;
    const { [userId]: _, ...rest } = typing();
    setTyping(rest);
  }

  const [present, setPresent] = createSignal<PresentUser[]>([]);

  // Frames that arrive before the first page is loaded are applied right after it (upserts are idempotent).
  let ready = false;
  const queued: ChatFrame[] = [];
  function onFrame(f: ChatFrame) {
    if (!ready && !f.ephemeral) {
      queued.push(f);
      return;
    }
    switch (f.type) {
      case 'message':
        timeline.upsertItem(f.message as TimelineMessage);
        if (f.message.direction === 'in') markRead();
        else if (f.message.authorId) stopTyping(f.message.authorId);
        break;
      case 'message_status':
        // The frame carries the whole message (status, error, or an edited text).
        if (f.message) timeline.upsertItem(f.message as TimelineMessage);
        else timeline.setMessageStatus(f.id, f.status, f.error ?? null);
        break;
      case 'event':
        timeline.upsertItem(f.event);
        if (f.event.type === 'commented') comments.receiveEvent(f.event);
        else chat.refetchSoon();
        break;
      case 'chat':
        chat.applyLive(f.chat);
        if (f.changes.some((c) => c === 'tags' || c === 'updated')) chat.refetchSoon();
        break;
      case 'typing':
        userTyping(f.userId, f.name);
        break;
      case 'presence':
        setPresent(Array.isArray(f.users) ? f.users : []);
        break;
      case 'presence_diff':
        setPresent((now) =>
          [...now.filter((u) => !f.left.includes(u.id) && !f.joined.some((j) => j.id === u.id)), ...f.joined].sort((a, b) => a.name.localeCompare(b.name)),
        );
        break;
    }
  }

  /** Loads the newest timeline page, then applies the frames that arrived meanwhile. */
  let loaded: Promise<void> = Promise.resolve();
  function loadTimeline() {
    loaded = (async () => {
      ready = false;
      await timeline.loadInitial();
      ready = true;
      queued.splice(0).forEach(onFrame);
      markRead();
    })();
    return loaded;
  }

  const socket = openLive<ChatFrame>(`/api/chats/${encodeURIComponent(opts.chatId)}/live`, {
    onFrame,
    onReload: () => {
      void loadTimeline();
      void chat.refetch();
      void comments.load();
    },
    onForbidden: opts.onForbidden,
    // The page, details and comments were read while the socket connected: what changed before it
    // listened is fetched once it does (catchUp keeps what a frame changed meanwhile).
    onFirstReady: () => {
      void loaded.then(() => timeline.catchUp()).then(markRead);
      void chat.refetch();
      void comments.load();
    },
  });

  onCleanup(() => {
    socket.close();
    typingTimers.forEach(clearTimeout);
  });

  return {
    loadTimeline,
    /** Tells colleagues with the chat open that I am typing. */
    sendTyping: () => socket.send({ type: 'typing' }),
    typingText() {
      const names = Object.values(typing());
      if (names.length === 0) return '';
      if (names.length === 1) return t('chat.typing1', { a: names[0] });
      if (names.length === 2) return t('chat.typing2', { a: names[0], b: names[1] });
      return t('chat.typingMany');
    },
    /** Colleagues who have this chat open too. */
    viewers: () => present().filter((u) => u.id !== me()?.id),
  };
}
