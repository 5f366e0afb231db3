/**
 * The group lists with keyset pagination and their counts. Local changes (live frames, optimistic
 * edits) are applied in place, at the chat's position by latest activity, instead of refetching.
 */
import { createSignal } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import { api, errorText } from '../../api';
import type { ChatListItem, Counts, Group } from '../../api/types';
import { t } from '../../i18n';
import { activeGroup, GROUPS, groupOf } from './group';
import { activeChatId, tabVisible } from './focused-chat';

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
export { lists, counts, setCounts };

/**
 * Chat changes (live frames, optimistic edits, removals) seen while a list page is in flight. The page
 * may have been read before them, so they are applied again on top of it; null = removed.
 */
const inFlight = new Set<Map<string, ChatListItem | null>>();
function noteChange(id: string, chat: ChatListItem | null) {
  for (const changes of inFlight) changes.set(id, chat);
}

/**
 * The newest first-page load of each group: the answer of a load it replaced is dropped (the newer one
 * sets every field of the list, `loadingMore` included, when it answers).
 */
const latestLoad: Record<Group, number> = { mine: 0, unassigned: 0, others: 0, closed: 0 };

export async function loadGroup(g: Group, more = false): Promise<void> {
  const l = lists[g];
  if (more && (!l.nextCursor || l.loadingMore)) return;
  if (more) setLists(g, 'loadingMore', true);
  else setLists(g, { state: 'loading', error: null });
  const load = more ? latestLoad[g] : ++latestLoad[g];
  const changes = new Map<string, ChatListItem | null>();
  inFlight.add(changes);
  try {
    const page = await api.chats.list(g, more ? l.nextCursor : null);
    inFlight.delete(changes);
    if (load !== latestLoad[g]) return;
    setCounts(page.counts);
    for (const c of page.items) readIfOpen(c);
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
    if (load !== latestLoad[g]) return;
    if (more) setLists(g, 'loadingMore', false);
    else setLists(g, { state: 'error', error: errorText(e, t) });
  } finally {
    inFlight.delete(changes);
  }
}

/**
 * After a gap the live feed cannot replay, and when it first listens (a change between a list's read and
 * that moment sent its frame to no one): only the lists already shown are worth fetching again.
 */
export function reloadLoaded() {
  for (const g of GROUPS) if (lists[g].state !== 'idle') void loadGroup(g);
}

/** Forgets every list and count (logout, another user). */
export function clearLists() {
  // A load still on its way (another user's) must not fill the emptied lists.
  for (const g of GROUPS) latestLoad[g]++;
  for (const g of GROUPS) setLists(g, emptyList());
  setCounts(null);
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

/** A list item (not yet stored) for the chat the user is looking at arrives read; the server is told. */
export function readIfOpen(chat: ChatListItem) {
  if (chat.id === activeChatId() && chat.unread && tabVisible()) {
    Object.assign(chat, READ);
    void api.chats.markRead(chat.id);
  }
}

let countsTimer: ReturnType<typeof setTimeout> | undefined;
/** Frames without counts: ask the server for exact numbers (debounced) instead of guessing. */
function refreshCountsSoon() {
  clearTimeout(countsTimer);
  countsTimer = setTimeout(() => {
    api.chats.list(activeGroup(), null, 1).then((p) => setCounts(p.counts), () => undefined);
  }, 800);
}
