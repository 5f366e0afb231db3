/**
 * Who hears about a chat: new-message notifications and the unread count in the tab title. Both
 * leave out muted chats and only count chats I am responsible for or observe.
 */
import { createMemo, createRoot, createSignal } from 'solid-js';
import type { ChatListItem, InboxFrame } from '../../api/types';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { notify } from '../../lib/notify';
import { me, userName } from '../session';
import { GROUPS } from './group';
import { lists } from './lists';
import { activeChatId, tabActive } from './focused-chat';

/** Mute toggles made in this tab, applied before the server's next frame confirms them. */
const [mutedMap, setMutedMap] = createSignal(new Map<string, boolean>());
export function rememberMuted(id: string, muted: boolean) {
  const m = new Map(mutedMap());
  m.set(id, muted);
  setMutedMap(m);
}
const isMuted = (c: ChatListItem) => mutedMap().get(c.id) ?? c.muted ?? false;

/** Chats the server flagged as notify-worthy for me (responsible or observer): they count in the title. */
const notifyIds = new Set<string>();
export function forgetNotifyChats() {
  notifyIds.clear();
}

function isRelevant(c: ChatListItem): boolean {
  const u = me();
  if (!u) return false;
  return c.responsibleId === u.id || u.role === 'observer' || notifyIds.has(c.id);
}

let openChat: (id: string) => void = () => {};
/** The router lives in the app; clicking a notification asks it to open the chat. */
export function setChatOpener(fn: (id: string) => void) {
  openChat = fn;
}

/** Each message notifies at most once, however many frames carry it. */
const notified = new Set<string>();

/** The server already decided (responsible/observer, not muted); we only skip the chat being read. */
export function notifyNewMessage(chat: ChatListItem, text: string) {
  notifyIds.add(chat.id);
  if (isMuted(chat)) return;
  if (activeChatId() === chat.id && tabActive()) return;
  const key = `${chat.id}@${chat.lastMessageAt}`;
  if (notified.has(key)) return;
  notified.add(key);
  // An unassigned chat notifies everyone who may take it: say that it is waiting for someone.
  const title = chat.responsibleId === null ? t('notify.unassigned', { name: chat.contact.name }) : t('notify.newMessage', { name: chat.contact.name });
  notify(title, text, chat.id, () => openChat(chat.id));
}

/** A chat was taken from me (the server said why): a toast here, and a notification when I look elsewhere. */
export function notifyTakenAway(chat: ChatListItem, taken: NonNullable<Extract<InboxFrame, { type: 'chat' }>['takenAway']>) {
  const name = taken.responsibleId ? userName(taken.responsibleId) : t('notify.waitingUnassigned');
  const text = t(`notify.takenAway.${taken.reason}`, { client: chat.contact.name, name });
  showToast(text, 'info');
  const key = `taken:${chat.id}@${chat.lastMessageAt}`;
  if (notified.has(key) || isMuted(chat)) return;
  notified.add(key);
  notify(t('notify.takenAway.title'), text, chat.id, () => openChat(chat.id));
}

/** "(3) Ponte": unread client messages in chats I am responsible for or observe, muted ones excluded. */
export const titleCount = createRoot(() =>
  createMemo(() => {
    const seen = new Set<string>();
    let n = 0;
    for (const g of GROUPS)
      for (const c of lists[g].items) {
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        if (c.unread && isRelevant(c) && !isMuted(c)) n += Math.max(1, c.unreadCount);
      }
    return n;
  }),
);
