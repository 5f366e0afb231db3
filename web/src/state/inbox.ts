/**
 * The inbox: the four group lists with keyset pagination, their counts, and the live feed that keeps
 * them current. A chat always sits in exactly one group, computed from its status and responsible,
 * so a live "chat updated" frame moves it between lists without refetching.
 */
import { createMemo, createRoot, createSignal } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import { api, errorText } from '../api/client';
import { openLive, type LiveSocket } from '../api/live';
import type { ChatListItem, Counts, Group, InboxFrame } from '../api/types';
import { t } from '../i18n';
import { notify } from '../lib/notify';
import { me } from './session';

export const GROUPS: Group[] = ['mine', 'unassigned', 'others', 'closed'];

interface GroupList {
  items: ChatListItem[];
  nextCursor: string | null;
  state: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  loadingMore: boolean;
}
const emptyList = (): GroupList => ({ items: [], nextCursor: null, state: 'idle', error: null, loadingMore: false });

const [lists, setLists] = createStore<Record<Group, GroupList>>({
  mine: emptyList(),
  unassigned: emptyList(),
  others: emptyList(),
  closed: emptyList(),
});
const [counts, setCounts] = createSignal<Counts | null>(null);
export { lists, counts };

const GROUP_KEY = 'ponte.group';
function savedGroup(): Group | null {
  try {
    const g = sessionStorage.getItem(GROUP_KEY) as Group | null;
    if (g && GROUPS.includes(g)) return g;
  } catch {
    /* ignore */
  }
  return null;
}
const [activeGroup, setActiveGroupSignal] = createSignal<Group>(savedGroup() ?? 'mine');
export { activeGroup };

/** Where "Clients" leads: the last group of this tab, else My threads (observers, never responsible: Others'). */
export function inboxHome(): string {
  return `/inbox/${savedGroup() ?? (me()?.role === 'observer' ? 'others' : 'mine')}`;
}
export function setActiveGroup(g: Group) {
  setActiveGroupSignal(g);
  try {
    sessionStorage.setItem(GROUP_KEY, g);
  } catch {
    /* ignore */
  }
}

/** The chat open in this tab (notifications for it are skipped while the tab is focused). */
const [activeChatId, setActiveChatId] = createSignal<string | null>(null);
export { activeChatId, setActiveChatId };

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

export function groupOf(c: Pick<ChatListItem, 'status' | 'responsibleId'>): Group {
  if (c.status === 'closed') return 'closed';
  if (!c.responsibleId) return 'unassigned';
  return c.responsibleId === me()?.id ? 'mine' : 'others';
}

function isRelevant(c: ChatListItem): boolean {
  const u = me();
  if (!u) return false;
  return c.responsibleId === u.id || u.role === 'observer' || notifyIds.has(c.id);
}

/**
 * Chat changes (live frames, optimistic edits, removals) seen while a list page is in flight. The page
 * may have been read before them, so they are applied again on top of it; null = removed.
 */
const inFlight = new Set<Map<string, ChatListItem | null>>();
function noteChange(id: string, chat: ChatListItem | null) {
  for (const changes of inFlight) changes.set(id, chat);
}

export async function loadGroup(g: Group, more = false): Promise<void> {
  const l = lists[g];
  if (more && (!l.nextCursor || l.loadingMore)) return;
  if (more) setLists(g, 'loadingMore', true);
  else setLists(g, { state: 'loading', error: null });
  const changes = new Map<string, ChatListItem | null>();
  inFlight.add(changes);
  try {
    const page = await api.chats.list(g, more ? l.nextCursor : null);
    inFlight.delete(changes);
    setCounts(page.counts);
    const open = activeChatId();
    for (const c of page.items)
      if (c.id === open && c.unread && tabVisible()) {
        Object.assign(c, READ); // the user is looking at it already
        void api.chats.markRead(c.id);
      }
    setLists(g, (prev) => {
      const seen = new Set(more ? prev.items.map((i) => i.id) : []);
      const items = more ? [...prev.items, ...page.items.filter((i) => !seen.has(i.id))] : page.items;
      return { items, nextCursor: page.nextCursor, state: 'ready', error: null, loadingMore: false };
    });
    // e.g. a chat closed while "My threads" was loading must not come back from the older page
    for (const [id, chat] of changes) {
      if (chat) upsertChat(chat);
      else removeChat(id);
    }
  } catch (e) {
    if (more) setLists(g, 'loadingMore', false);
    else setLists(g, { state: 'error', error: errorText(e, t) });
  } finally {
    inFlight.delete(changes);
  }
}

function reloadLoaded() {
  for (const g of GROUPS) if (lists[g].state !== 'idle') void loadGroup(g);
}

const ts = (c: ChatListItem) => (c.lastMessageAt ? Date.parse(c.lastMessageAt) : 0);

function findChat(id: string): ChatListItem | undefined {
  for (const g of GROUPS) {
    const c = lists[g].items.find((i) => i.id === id);
    if (c) return c;
  }
  return undefined;
}

/** Puts the chat into its group at the right place (newest activity first), removing it elsewhere. */
export function upsertChat(chat: ChatListItem) {
  noteChange(chat.id, chat);
  const target = groupOf(chat);
  for (const g of GROUPS) {
    setLists(
      g,
      produce((l) => {
        const idx = l.items.findIndex((i) => i.id === chat.id);
        if (idx >= 0) l.items.splice(idx, 1);
        if (g !== target || l.state !== 'ready') return;
        let at = l.items.findIndex((i) => ts(i) < ts(chat));
        if (at < 0) {
          // Older than everything loaded: only append when the list is complete (keyset order).
          if (l.nextCursor) return;
          at = l.items.length;
        }
        l.items.splice(at, 0, chat);
      }),
    );
  }
}

/**
 * Applies a local change (e.g. an optimistic assign) to the chat's list item, if it is loaded, and
 * returns the previous item so a failed request can put it back with `upsertChat` (the moved item
 * may have left every loaded list, so it cannot be found again later).
 */
export function patchChat(id: string, patch: Partial<ChatListItem>): ChatListItem | undefined {
  const c = findChat(id);
  if (!c) return undefined;
  const prev = { ...c };
  upsertChat({ ...c, ...patch });
  refreshCountsSoon();
  return prev;
}

export function removeChat(id: string) {
  noteChange(id, null);
  for (const g of GROUPS) setLists(g, 'items', (items) => items.filter((i) => i.id !== id));
}

const READ = { unread: false, unreadCount: 0 } as const;

/** Locally clears the unread state of a chat the user is looking at, and tells the server. */
export function markChatRead(id: string) {
  const had = !!findChat(id)?.unread;
  for (const g of GROUPS) setLists(g, 'items', (i) => i.id === id, READ);
  if (had) void api.chats.markRead(id);
}

let countsTimer: ReturnType<typeof setTimeout> | undefined;
/** Frames without counts: ask the server for exact numbers (debounced) instead of guessing. */
function refreshCountsSoon() {
  clearTimeout(countsTimer);
  countsTimer = setTimeout(() => {
    api.chats.list(activeGroup(), null, 1).then((p) => setCounts(p.counts), () => undefined);
  }, 800);
}

const notified = new Set<string>();
let openChat: (id: string) => void = () => {};
export function setChatOpener(fn: (id: string) => void) {
  openChat = fn;
}

const tabVisible = () => document.visibilityState === 'visible';
const tabActive = () => tabVisible() && document.hasFocus();

/** The server already decided (responsible/observer, not muted); we only skip the chat being read. */
function maybeNotify(chat: ChatListItem, text: string) {
  notifyIds.add(chat.id);
  if (isMuted(chat)) return;
  if (activeChatId() === chat.id && tabActive()) return;
  const key = `${chat.id}@${chat.lastMessageAt}`;
  if (notified.has(key)) return;
  notified.add(key);
  notify(t('notify.newMessage', { name: chat.contact.name }), text, chat.id, () => openChat(chat.id));
}

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
      if (activeChatId() === chat.id && tabVisible() && chat.unread) {
        Object.assign(chat, READ);
        void api.chats.markRead(chat.id);
      }
      upsertChat(chat);
      // The server sends `counts` itself whenever a chat changes group.
      if (f.notify && f.message) maybeNotify(chat, f.message.text || chat.lastMessagePreview);
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
  for (const g of GROUPS) setLists(g, emptyList());
  setCounts(null);
  notifyIds.clear();
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
