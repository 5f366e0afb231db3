import { useNavigate, useParams } from '@solidjs/router';
import { createEffect, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import { ApiError, errorText } from '../../api/client';
import { openLive } from '../../api/live';
import type { ChatFrame, PresentUser, TimelineMessage } from '../../api/types';
import { ChannelIcon } from '../../components/channel-icon';
import { ErrorBox, Loading } from '../../components/states';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { activeGroup, markChatRead, rememberMuted, removeChat, setActiveChatId } from '../../state/inbox';
import { canWrite, me, userName } from '../../state/session';
import { createChatState } from './chat-state';
import { createComments } from './comments';
import { Composer } from './composer';
import { HistorySearch } from './history-search';
import { QuickActions } from './quick-actions';
import { SidePanel } from './side-panel';
import { TimelineView, type TimelineHandle } from './timeline';
import { createTimeline } from './timeline-store';

const PANEL_KEY = 'ponte.panel';
const TYPING_TTL_MS = 6000;

/** /chats/:id — everything below is rebuilt when the id changes. */
export function ChatRoute() {
  const params = useParams<{ id: string }>();
  return (
    <Show when={params.id} keyed>
      {(id) => <ChatView id={id} />}
    </Show>
  );
}

function initialPanel(): boolean {
  try {
    const v = localStorage.getItem(PANEL_KEY);
    if (v) return v === '1';
  } catch {
    /* ignore */
  }
  return window.matchMedia('(min-width: 1200px)').matches;
}

function ChatView(props: { id: string }) {
  const navigate = useNavigate();
  const chat = createChatState(props.id);
  const tl = createTimeline(props.id);
  const comments = createComments(props.id);
  const [panel, setPanel] = createSignal(initialPanel());
  const [searchOpen, setSearchOpen] = createSignal(false);
  const [highlight, setHighlight] = createSignal('');
  /** userId → display name of colleagues typing right now */
  const [typing, setTyping] = createSignal<Record<string, string>>({});
  const [present, setPresent] = createSignal<PresentUser[]>([]);
  let handle: TimelineHandle | undefined;

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

  const visible = () => document.visibilityState === 'visible';
  const markRead = () => visible() && markChatRead(props.id);

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
        tl.upsertItem(f.message as TimelineMessage);
        if (f.message.direction === 'in') markRead();
        else if (f.message.authorId) stopTyping(f.message.authorId);
        break;
      case 'message_status':
        // The frame carries the whole message (status, error, or an edited text).
        if (f.message) tl.upsertItem(f.message as TimelineMessage);
        else tl.setMessageStatus(f.id, f.status, f.error ?? null);
        break;
      case 'event':
        tl.upsertItem(f.event);
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
    }
  }

  async function loadAll() {
    ready = false;
    await tl.loadInitial();
    ready = true;
    queued.splice(0).forEach(onFrame);
    markRead();
  }

  const live = openLive<ChatFrame>(`/api/chats/${encodeURIComponent(props.id)}/live`, {
    onFrame,
    onReload: () => {
      void loadAll();
      void chat.refetch();
      void comments.load();
    },
    // 4403: this user may no longer see the chat (e.g. no longer an observer): leave it.
    onForbidden: () => {
      showToast(t('chat.noAccess'), 'info');
      removeChat(props.id);
      navigate(`/inbox/${activeGroup()}`, { replace: true });
    },
  });

  setActiveChatId(props.id);
  void loadAll();
  void comments.load();

  createEffect(on(() => chat.detail()?.muted, (m) => m !== undefined && rememberMuted(props.id, m)));

  onMount(() => {
    const onVisible = () => markRead();
    document.addEventListener('visibilitychange', onVisible);
    addEventListener('focus', onVisible);
    onCleanup(() => {
      document.removeEventListener('visibilitychange', onVisible);
      removeEventListener('focus', onVisible);
    });
  });

  onCleanup(() => {
    live.close();
    typingTimers.forEach(clearTimeout);
    setActiveChatId(null);
  });

  function togglePanel() {
    const v = !panel();
    setPanel(v);
    try {
      localStorage.setItem(PANEL_KEY, v ? '1' : '0');
    } catch {
      /* ignore */
    }
  }

  function closeSearch() {
    setSearchOpen(false);
    setHighlight('');
    handle?.focus();
  }

  /** Loads older pages until the message is in the DOM, then scrolls to it. */
  async function jumpTo(id: string) {
    for (let i = 0; i < 50; i++) {
      if (handle?.reveal(id)) return;
      if (!tl.state.nextBefore || !(await tl.loadOlder())) break;
    }
    if (!handle?.reveal(id)) showToast(t('search.notLoaded'), 'info');
  }

  const closeWindow = () => navigate(`/inbox/${activeGroup()}`);

  const typingText = () => {
    const names = Object.values(typing());
    if (names.length === 0) return '';
    if (names.length === 1) return t('chat.typing1', { a: names[0] });
    if (names.length === 2) return t('chat.typing2', { a: names[0], b: names[1] });
    return t('chat.typingMany');
  };
  const others = () => present().filter((u) => u.id !== me()?.id);

  const detailError = () => {
    const e = chat.detail.error;
    if (!e) return null;
    if (e instanceof ApiError && e.status === 404) return t('error.notFound');
    if (e instanceof ApiError && e.status === 403) return t('error.forbidden');
    return errorText(e, t);
  };

  return (
    <div class="chat" classList={{ 'with-panel': panel() }} data-testid="chat-view" data-chat-id={props.id}>
      <Show
        when={!detailError()}
        fallback={
          <div class="chat-main">
            <div class="chat-header">
              <button type="button" class="btn btn-ghost" onClick={closeWindow}>
                ← {t('common.back')}
              </button>
            </div>
            <ErrorBox message={detailError()!} onRetry={() => void chat.refetch()} />
          </div>
        }
      >
        <div class="chat-main">
          <header class="chat-header">
            <button type="button" class="icon-btn back-btn" aria-label={t('common.back')} onClick={closeWindow}>
              ←
            </button>
            <div class="chat-title">
              <Show when={chat.detail()} fallback={<Loading />}>
                {(d) => (
                  <>
                    <h2 data-testid="chat-contact-name">{d().contact.name}</h2>
                    <div class="chat-sub">
                      <ChannelIcon channel={d().channel} size={14} />
                      <span>{d().source?.name}</span>
                      <Show when={d().status === 'closed'}>
                        <span class="chip chip-closed" data-testid="chat-closed-badge">
                          {t('chat.closedBadge')}
                        </span>
                      </Show>
                      <Show when={others().length}>
                        <span class="muted" data-testid="presence">
                          {t('chat.viewing', { names: others().map((u) => u.name).join(', ') })}
                        </span>
                      </Show>
                    </div>
                  </>
                )}
              </Show>
            </div>
            <QuickActions
              chat={chat}
              searchOpen={searchOpen()}
              panelOpen={panel()}
              onSearch={() => (searchOpen() ? closeSearch() : setSearchOpen(true))}
              onPanel={togglePanel}
              onCloseWindow={closeWindow}
            />
          </header>
          <Show when={searchOpen()}>
            <HistorySearch chatId={props.id} onQuery={setHighlight} onJump={(id) => void jumpTo(id)} onClose={closeSearch} />
          </Show>
          <TimelineView tl={tl} highlight={highlight()} handle={(h) => (handle = h)} />
          <div class="typing" aria-live="polite" data-testid="typing-indicator">
            {typingText()}
          </div>
          <Show when={canWrite()} fallback={<p class="read-only" data-testid="read-only-note">{t('chat.readOnly')}</p>}>
            <Composer onSend={(text, file) => void tl.send(text, file)} onTyping={() => live.send({ type: 'typing' })} />
          </Show>
        </div>
        <Show when={panel()}>
          <SidePanel chat={chat} comments={comments} onClose={togglePanel} />
        </Show>
      </Show>
    </div>
  );
}
