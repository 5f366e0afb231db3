import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { ChatListItem } from '../api/types';
import { t } from '../i18n';
import { ChatListRow } from './chat-list-item';
import { Empty, ErrorBox, Loading } from './states';

export interface ChatListProps {
  items: ChatListItem[];
  state: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  activeId?: string | null;
  onRetry: () => void;
  onMore: () => void;
  label: string;
  /** Unassigned rows get a "Take" button that calls this (the Unassigned group, for those who may take chats). */
  onTake?: (chatId: string) => void;
}

/**
 * A keyboard-navigable chat list: one tab stop (roving tabindex), arrow keys / Home / End move,
 * Enter opens (native link). Scrolling near the end loads the next page; a button does the same.
 */
export function ChatList(props: ChatListProps) {
  /** The row that keeps the list's single tab stop: the last focused one, else the open chat, else the first. */
  const [focusIdx, setFocusIdx] = createSignal(-1);
  let listEl: HTMLDivElement | undefined;
  let sentinel: HTMLDivElement | undefined;

  const tabStop = () => {
    const active = props.items.findIndex((c) => c.id === props.activeId);
    const f = focusIdx();
    return f >= 0 && f < props.items.length ? f : Math.max(0, active);
  };

  function onKeyDown(e: KeyboardEvent) {
    const rows = [...(listEl?.querySelectorAll<HTMLElement>('[data-testid="chat-list-item"]') ?? [])];
    const cur = rows.indexOf(document.activeElement as HTMLElement);
    let next = cur;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, cur + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, cur - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else return;
    e.preventDefault();
    rows[next]?.focus();
    if (e.key === 'ArrowDown' && next === rows.length - 1 && props.hasMore) props.onMore();
  }

  onMount(() => {
    if (!sentinel || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((en) => en.isIntersecting) && props.hasMore && !props.loadingMore) props.onMore();
      },
      { root: listEl, rootMargin: '200px' },
    );
    io.observe(sentinel);
    onCleanup(() => io.disconnect());
  });

  return (
    <div class="chat-list" ref={listEl} onKeyDown={onKeyDown} aria-label={props.label} role="navigation" data-testid="chat-list">
      <Show when={props.state === 'loading' && props.items.length === 0}>
        <Loading />
      </Show>
      <Show when={props.state === 'error'}>
        <ErrorBox message={props.error ?? t('error.generic')} onRetry={props.onRetry} />
      </Show>
      <Show when={props.state === 'ready' && props.items.length === 0}>
        <Empty>{t('list.empty')}</Empty>
      </Show>
      <ul>
        <For each={props.items}>
          {(chat, i) => (
            <li>
              <ChatListRow
                chat={chat}
                active={chat.id === props.activeId}
                tabIndex={i() === tabStop() ? 0 : -1}
                onFocus={() => setFocusIdx(i())}
              />
              <Show when={props.onTake && chat.responsibleId === null && chat.status === 'open'}>
                <button type="button" class="btn btn-small take-btn" data-testid="take-chat" onClick={() => props.onTake!(chat.id)}>
                  {t('take.action')}
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <div ref={sentinel} class="sentinel" />
      <Show when={props.hasMore}>
        <button type="button" class="btn btn-ghost load-more" disabled={props.loadingMore} onClick={props.onMore} data-testid="load-more">
          {props.loadingMore ? t('common.loading') : t('list.loadMore')}
        </button>
      </Show>
    </div>
  );
}
