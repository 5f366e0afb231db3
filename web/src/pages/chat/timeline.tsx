import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import type { TimelineEvent } from '../../api/types';
import { ErrorBox, Loading } from '../../components/states';
import { t } from '../../i18n';
import { formatDay } from '../../lib/format';
import { me } from '../../state/session';
import { EventLine, MessageItem } from './message-item';
import type { Item, LocalMessage, Timeline } from './timeline-store';
import type { ReplyChanges } from './reply-actions';

export interface TimelineHandle {
  scrollToBottom: () => void;
  /** Scrolls to an item and flashes it; false when it is not loaded. */
  reveal: (id: string) => boolean;
  focus: () => void;
}

const NEAR_BOTTOM = 80;
const dayKey = (iso: string) => new Date(iso).toDateString();

/**
 * The scrolling history: keeps the view pinned to the bottom while the user is there, keeps the
 * position steady when older pages are prepended, and offers a "New messages" jump otherwise.
 */
export function TimelineView(props: { tl: Timeline; highlight?: string; handle: (h: TimelineHandle) => void; replyChanges?: ReplyChanges }) {
  let el: HTMLDivElement | undefined;
  let top: HTMLDivElement | undefined;
  const [atBottom, setAtBottom] = createSignal(true);
  const [unseen, setUnseen] = createSignal(0);
  const [flashId, setFlashId] = createSignal<string | null>(null);
  const s = props.tl.state;

  const scrollToBottom = () => {
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    setAtBottom(true);
    setUnseen(0);
  };

  function onScroll() {
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM;
    setAtBottom(bottom);
    if (bottom) setUnseen(0);
  }

  // Images change height after loading; stay pinned to the bottom when we were there.
  const onMediaLoad = () => atBottom() && scrollToBottom();

  async function loadOlder() {
    if (!el) return;
    const fromBottom = el.scrollHeight - el.scrollTop;
    if (await props.tl.loadOlder()) el.scrollTop = el.scrollHeight - fromBottom;
  }

  // Initial page: start at the bottom.
  createEffect(on(() => s.status, (st) => st === 'ready' && requestAnimationFrame(scrollToBottom)));

  // New items at the end: follow them if the user was at the bottom or wrote them.
  createEffect(
    on(
      () => s.items[s.items.length - 1]?.id,
      (lastId, prevId) => {
        if (!lastId || !prevId || lastId === prevId || s.status !== 'ready') return;
        const last = s.items[s.items.length - 1];
        const mine = last.kind === 'message' && last.direction === 'out' && last.authorId === me()?.id;
        if (atBottom() || mine) requestAnimationFrame(scrollToBottom);
        else setUnseen((n) => n + 1);
      },
    ),
  );

  onMount(() => {
    // load does not bubble; capture it for every <img> inside.
    el?.addEventListener('load', onMediaLoad, true);
    props.handle({
      scrollToBottom,
      reveal(id) {
        const node = el?.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(id)}"]`);
        if (!node) return false;
        // Not scrollIntoView: that would also scroll the page's outer containers.
        if (el) el.scrollTop = node.offsetTop - el.clientHeight / 2 + node.offsetHeight / 2;
        setFlashId(id);
        setTimeout(() => setFlashId((f) => (f === id ? null : f)), 2000);
        return true;
      },
      focus: () => el?.focus(),
    });
    if (!top || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((en) => en.some((e) => e.isIntersecting) && s.status === 'ready' && void loadOlder(), {
      root: el,
      rootMargin: '300px 0px 0px 0px',
    });
    io.observe(top);
    onCleanup(() => io.disconnect());
  });

  return (
    <div class="timeline-wrap">
      <div
        ref={el}
        class="timeline"
        tabIndex={0}
        role="log"
        aria-label={t('chat.timeline')}
        onScroll={onScroll}
        data-testid="timeline"
      >
        <div ref={top} class="timeline-top">
          <Show when={s.status === 'ready'}>
            <Show when={s.loadingOlder}>
              <Loading label={t('chat.loadingOlder')} />
            </Show>
            <Show when={s.olderError}>
              <ErrorBox message={s.olderError!} onRetry={() => void loadOlder()} />
            </Show>
            <Show when={!s.nextBefore}>
              <div class="timeline-start">{t('chat.start')}</div>
            </Show>
          </Show>
        </div>
        <Show when={s.status === 'loading'}>
          <Loading />
        </Show>
        <Show when={s.status === 'error'}>
          <ErrorBox message={s.error ?? t('error.generic')} onRetry={() => void props.tl.loadInitial()} />
        </Show>
        <For each={s.items}>
          {(item: Item, i) => {
            const newDay = () => i() === 0 || dayKey(s.items[i() - 1].createdAt) !== dayKey(item.createdAt);
            return (
              <>
                <Show when={newDay()}>
                  <div class="day-sep" role="separator">
                    <span>{formatDay(item.createdAt)}</span>
                  </div>
                </Show>
                {item.kind === 'message' ? (
                  <MessageItem
                    message={item as LocalMessage}
                    highlight={props.highlight}
                    flash={flashId() === item.id}
                    onRetry={props.tl.retry}
                    replyChanges={props.replyChanges}
                    onChange={props.tl.changeReply}
                  />
                ) : (
                  <EventLine event={item as TimelineEvent} />
                )}
              </>
            );
          }}
        </For>
      </div>
      <Show when={!atBottom() && unseen() > 0}>
        <button type="button" class="btn new-below" onClick={scrollToBottom} data-testid="new-messages">
          {t('chat.newMessages')} ({unseen()}) ↓
        </button>
      </Show>
    </div>
  );
}
