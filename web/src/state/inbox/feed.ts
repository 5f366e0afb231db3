/** The live inbox feed: one socket per logged-in tab, its frames applied to the lists and notifications. */
import { openLive, type LiveSocket } from '../../api/live';
import type { ChatListItem, InboxFrame } from '../../api/types';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { me, users } from '../session';
import { clearLists, lists, readIfOpen, reloadLoaded, removeChat, setCounts, upsertChat } from './lists';
import { forgetNotifyChats, notifyNewMessage, notifyTakenAway } from './notifications';
import { applyMentionsFrame, loadMentions, resetMentions } from '../mentions';
import { createEffect, createRoot, on } from 'solid-js';

/** Other screens that follow the feed (the funnel board reloads when a new chat opens a deal). */
const frameListeners = new Set<(f: InboxFrame) => void>();
export function onInboxFrame(fn: (f: InboxFrame) => void): () => void {
  frameListeners.add(fn);
  return () => frameListeners.delete(fn);
}

export function applyInboxFrame(f: InboxFrame) {
  for (const fn of frameListeners) fn(f);
  switch (f.type) {
    case 'counts':
      setCounts(f.counts);
      return;
    case 'mentions':
      applyMentionsFrame(f);
      return;
    case 'chat_removed':
      removeChat(f.chatId);
      return;
    case 'chat': {
      const chat = { ...f.chat };
      // The server tells the manager a chat was taken from them (no reply, deactivation); other moves
      // of a chat of mine (an admin reassigning it) are seen in the list.
      if (f.takenAway) notifyTakenAway(chat, f.takenAway);
      else tellIfTakenAway(chat);
      readIfOpen(chat);
      upsertChat(chat);
      // The server sends `counts` itself whenever a chat changes group.
      if (f.notify && f.message) notifyNewMessage(chat, f.message.text || chat.lastMessagePreview);
      return;
    }
    default:
      return;
  }
}

let feed: LiveSocket | null = null;
export function startInboxFeed() {
  feed?.close();
  feed = openLive<InboxFrame>('/api/live', { onFrame: applyInboxFrame, onReload: reloadLoaded, onFirstReady: reloadLoaded });
  // Mention frames are not replayed: each (re)connection fetches the badge afresh.
  const socket = feed;
  createRoot((dispose) => {
    createEffect(on(socket.status, (s) => {
      if (feed !== socket) return dispose();
      if (s === 'open') void loadMentions();
    }));
  });
}

export function resetInbox() {
  feed?.close();
  feed = null;
  clearLists();
  forgetNotifyChats();
  resetMentions();
}

/** A chat of mine that moved to someone else (no reply in time, a deactivation, an admin): say so. */
function tellIfTakenAway(chat: ChatListItem) {
  const u = me();
  const before = lists.mine.items.find((c) => c.id === chat.id);
  if (!u || !before || before.responsibleId !== u.id || !chat.responsibleId || chat.responsibleId === u.id) return;
  const name = users().find((x) => x.id === chat.responsibleId)?.name ?? '…';
  showToast(t('notify.reassignedAway', { client: chat.contact.name, name }), 'info');
}
