/**
 * One chat's timeline: pages loaded backwards with `nextBefore`, live items merged in by id and
 * time, and the client's own outgoing messages shown at once (optimistic) until the server's copy
 * (from the POST answer or the live frame, whichever comes first) replaces them.
 */
import { createStore, produce } from 'solid-js/store';
import { api, ApiError, errorText } from '../../api';
import { showToast } from '../../components/toast';
import type { MessageStatus, TimelineEntry as TimelineItem, TimelineMessage } from '../../api/types';
import { t } from '../../i18n';
import { me } from '../../state/session';
import { localMessage, placeByTime, replaceFields, type Item, type LocalMessage } from './timeline-items';

export type { Item, LocalMessage } from './timeline-items';

interface State {
  items: Item[];
  nextBefore: string | null;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  loadingOlder: boolean;
  olderError: string | null;
}

export function createTimeline(chatId: string) {
  const [state, setState] = createStore<State>({
    items: [],
    nextBefore: null,
    status: 'loading',
    error: null,
    loadingOlder: false,
    olderError: null,
  });
  /** status frames that arrived before their message (e.g. before the POST answered) */
  const earlyStatus = new Map<string, { status: MessageStatus; error: string | null }>();
  /** local id → server id, once known, so the later of (POST answer, live frame) is a no-op */
  const resolved = new Map<string, string>();
  const files = new Map<string, File>();

  async function loadInitial() {
    setState({ status: 'loading', error: null });
    try {
      const page = await api.chats.timeline(chatId);
      setState(
        produce((s) => {
          const local = s.items.filter((i) => i.kind === 'message' && (i as LocalMessage).local);
          s.items = [];
          s.nextBefore = page.nextBefore;
          s.status = 'ready';
          for (const it of [...page.items, ...local]) insert(s, it);
        }),
      );
    } catch (e) {
      setState({ status: 'error', error: errorText(e, t) });
    }
  }

  /**
   * Brings the newest page up to date once the live socket listens: an item whose frame went out before
   * it did is added (a reply of mine through upsertMessage, so its optimistic copy is replaced, not
   * doubled), one shown is given its newer fields. What a frame changed meanwhile is left as the frame
   * made it, and nothing shown is removed.
   */
  async function catchUp() {
    if (state.status !== 'ready') return;
    const framed = (touchedByFrames = new Set());
    let page;
    try {
      page = await api.chats.timeline(chatId);
    } catch {
      return; // as before it: the socket is listening now, and a reload fetches everything
    } finally {
      if (touchedByFrames === framed) touchedByFrames = null;
    }
    // The page was read after the socket listened: it is as fresh as anything shown, except what a
    // frame changed while it was on its way.
    for (const it of page.items) if (!framed.has(it.id)) upsertItem(it);
  }

  async function loadOlder(): Promise<boolean> {
    if (!state.nextBefore || state.loadingOlder) return false;
    setState({ loadingOlder: true, olderError: null });
    try {
      const page = await api.chats.timeline(chatId, state.nextBefore);
      setState(
        produce((s) => {
          for (const it of page.items) insert(s, it);
          s.nextBefore = page.nextBefore;
          s.loadingOlder = false;
        }),
      );
      return true;
    } catch (e) {
      setState({ loadingOlder: false, olderError: errorText(e, t) });
      return false;
    }
  }

  /** Insert or replace by id, keeping time order (oldest first). */
  function insert(s: State, item: Item) {
    if (item.kind === 'message') {
      const early = earlyStatus.get(item.id);
      if (early) {
        item = { ...item, ...early };
        earlyStatus.delete(item.id);
      }
    }
    const current = s.items.find((i) => i.id === item.id);
    if (current) {
      replaceFields(current, item);
      return;
    }
    placeByTime(s.items, item);
  }

  /** Ids a live frame (or an answer) changed while catchUp's page was on its way: the page is older for them. */
  let touchedByFrames: Set<string> | null = null;

  /** A message from the live feed (or the POST answer). Replaces the matching local copy, if any. */
  function upsertMessage(m: TimelineMessage) {
    touchedByFrames?.add(m.id);
    setState(
      produce((s) => {
        if (m.direction === 'out' && m.authorId === me()?.id && !s.items.some((i) => i.id === m.id)) {
          const local = s.items.find(
            (i): i is LocalMessage => i.kind === 'message' && !!(i as LocalMessage).local && i.text === m.text && !resolved.has(i.id),
          );
          if (local) {
            resolved.set(local.id, m.id);
            s.items.splice(s.items.indexOf(local), 1);
          }
        }
        insert(s, m);
      }),
    );
  }

  function upsertItem(item: TimelineItem) {
    if (item.kind === 'message') upsertMessage(item);
    else {
      touchedByFrames?.add(item.id);
      setState(produce((s) => insert(s, item)));
    }
  }

  function setMessageStatus(id: string, status: MessageStatus, error: string | null) {
    touchedByFrames?.add(id);
    const idx = state.items.findIndex((i) => i.id === id);
    if (idx < 0) {
      earlyStatus.set(id, { status, error });
      return;
    }
    setState('items', idx, (i) => ({ ...i, status, error }) as Item);
  }

  function addLocal(text: string, file?: File): string {
    const m = localMessage(text, file);
    const { id } = m;
    if (file) files.set(id, file);
    setState(produce((s) => s.items.push(m)));
    return id;
  }

  function removeItem(id: string) {
    touchedByFrames?.add(id);
    setState('items', (items) => items.filter((i) => i.id !== id));
  }

  /** Sends text (and optionally a file); the optimistic copy turns into the server's or into a failure. */
  async function send(text: string, file?: File) {
    const localId = addLocal(text, file);
    await deliver(localId, text, file);
  }

  async function deliver(localId: string, text: string, file?: File) {
    try {
      const m = file ? await api.chats.upload(chatId, file, text) : await api.chats.send(chatId, text);
      // Already replaced by the live frame, or no body (then the live frame will replace it).
      if (resolved.has(localId) || !m?.id) return;
      resolved.set(localId, m.id);
      setState(
        produce((s) => {
          const idx = s.items.findIndex((i) => i.id === localId);
          if (idx >= 0) s.items.splice(idx, 1);
          if (!s.items.some((i) => i.id === m.id)) insert(s, m);
        }),
      );
      files.delete(localId);
    } catch (e) {
      setState('items', (i) => i.id === localId, (i) => ({ ...i, status: 'failed', error: errorText(e, t) }) as Item);
    }
  }

  /**
   * Retry a failed message. A local failure (the POST never got through) is sent again as is. A
   * delivery failure goes to the server's retry route, which re-queues the same message; where that
   * route is missing (404/405) the text is POSTed again as a new message.
   */
  async function retry(id: string) {
    const m = state.items.find((i) => i.id === id) as LocalMessage | undefined;
    if (!m || m.kind !== 'message') return;
    const patch = (p: Partial<LocalMessage>) => setState('items', (i) => i.id === id, (i) => ({ ...i, ...p }) as Item);
    if (m.local) {
      patch({ status: 'sending', error: null });
      return deliver(id, m.text, files.get(id));
    }
    patch({ retried: true });
    try {
      const again = await api.chats.retry(chatId, id);
      if (again?.id) upsertMessage(again);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 405) && m.text) return send(m.text);
      patch({ retried: false });
      showToast(errorText(e, t));
    }
  }

  /** Edits (text) or deletes (null) a sent reply; the stored message replaces ours, an error is a toast. */
  async function changeReply(id: string, text: string | null): Promise<boolean> {
    try {
      const m = text === null ? await api.chats.deleteMessage(chatId, id) : await api.chats.editMessage(chatId, id, text);
      if (m?.id) upsertMessage(m);
      return true;
    } catch (e) {
      showToast(errorText(e, t));
      return false;
    }
  }

  return { state, loadInitial, catchUp, loadOlder, upsertItem, setMessageStatus, send, retry, removeItem, changeReply };
}

export type Timeline = ReturnType<typeof createTimeline>;
