/** The live inbox feed: one socket per logged-in tab, its frames applied to the lists and notifications. */
import { openLive, type LiveSocket } from '../../api/live';
import type { InboxFrame } from '../../api/types';
import { clearLists, readIfOpen, reloadLoaded, removeChat, setCounts, upsertChat } from './lists';
import { forgetNotifyChats, notifyNewMessage } from './notifications';

export function applyInboxFrame(f: InboxFrame) {
  switch (f.type) {
    case 'counts':
      setCounts(f.counts);
      return;
    case 'chat_removed':
      removeChat(f.chatId);
      return;
    case 'chat': {
      const chat = { ...f.chat };
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
  feed = openLive<InboxFrame>('/api/live', { onFrame: applyInboxFrame, onReload: reloadLoaded });
}

export function resetInbox() {
  feed?.close();
  feed = null;
  clearLists();
  forgetNotifyChats();
}
