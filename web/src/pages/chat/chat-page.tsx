import { useNavigate, useParams } from '@solidjs/router';
import { createEffect, createSignal, lazy, on, onCleanup, onMount, Show } from 'solid-js';
import { ApiError, errorText } from '../../api/client';
import { ChannelIcon } from '../../components/channel-icon';
import { ErrorBox, Loading } from '../../components/states';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { activeGroup, markChatRead, rememberMuted, removeChat, setActiveChatId, tabVisible } from '../../state/inbox';
import { createPersisted } from '../../state/persisted';
import { canWrite, me } from '../../state/session';
import { variableValues } from '../../../../worker/domain/canned/template';
import { useShortcut } from '../../lib/shortcuts';
import { createChatLive } from './chat-live';
import { createChatState } from './chat-state';
import { createComments } from './comments';
import { Composer, type ComposerHandle } from './composer';
import { QuickActions } from './quick-actions';
import { SidePanel } from './side-panel';
import { TimelineView, type TimelineHandle } from './timeline';
import { createTimeline } from './timeline-store';

// Loaded when a manager first opens the search: the inbox route's first load stays within its JS budget.
const HistorySearch = lazy(() => import('./history-search').then((m) => ({ default: m.HistorySearch })));

/** /chats/:id — everything below is rebuilt when the id changes. */
export function ChatRoute() {
  const params = useParams<{ id: string }>();
  return (
    <Show when={params.id} keyed>
      {(id) => <ChatView id={id} />}
    </Show>
  );
}

const panelPref = createPersisted('ponte.panel');
/** Until the user opens or closes the info panel, it shows only where there is room beside the chat. */
function initialPanel(): boolean {
  const v = panelPref.read();
  if (v) return v === '1';
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
  let handle: TimelineHandle | undefined;
  let composer: ComposerHandle | undefined;

  const markRead = () => tabVisible() && markChatRead(props.id);

  const live = createChatLive({
    chatId: props.id,
    chat,
    timeline: tl,
    comments,
    markRead,
    // This user may no longer see the chat (e.g. no longer an observer): leave it.
    onForbidden: () => {
      showToast(t('chat.noAccess'), 'info');
      removeChat(props.id);
      navigate(`/inbox/${activeGroup()}`, { replace: true });
    },
  });

  setActiveChatId(props.id);
  void live.loadTimeline();
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

  onCleanup(() => setActiveChatId(null));

  function togglePanel() {
    const v = !panel();
    setPanel(v);
    panelPref.write(v ? '1' : '0');
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

  // The chat's keyboard shortcuts (lib/shortcuts.ts lists them; `?` shows them).
  const open = () => chat.detail()?.status === 'open';
  useShortcut('closeChat', () => canWrite() && open() && void chat.close());
  useShortcut('assignMe', () => {
    const id = me()?.id;
    if (!canWrite() || !id || !chat.detail() || chat.detail()!.responsibleId === id) return;
    void chat.setResponsible(id).then(() => chat.detail()?.responsibleId === id && showToast(t('shortcuts.assigned'), 'info'));
  });
  useShortcut('searchHistory', () => setSearchOpen(true));
  useShortcut('reply', () => composer?.focus());
  useShortcut('canned', () => composer?.openCanned());
  /** What a canned response's variables become in this chat. */
  const variables = () => {
    const d = chat.detail();
    return variableValues({ contactName: d?.contact.name ?? '', agentName: me()?.name ?? '', botName: d?.source?.name ?? '' });
  };

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
                      <Show when={live.viewers().length}>
                        <span class="muted" data-testid="presence">
                          {t('chat.viewing', { names: live.viewers().map((u) => u.name).join(', ') })}
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
          <TimelineView
            tl={tl}
            highlight={highlight()}
            handle={(h) => (handle = h)}
            replyChanges={chat.detail() ? { channel: chat.detail()!.channel, allowed: chat.detail()!.replyChanges } : undefined}
          />
          <div class="typing" aria-live="polite" data-testid="typing-indicator">
            {live.typingText()}
          </div>
          <Show when={canWrite()} fallback={<p class="read-only" data-testid="read-only-note">{t('chat.readOnly')}</p>}>
            <Composer onSend={(text, file) => void tl.send(text, file)} onTyping={live.sendTyping} variables={variables} handle={(h) => (composer = h)} />
          </Show>
        </div>
        <Show when={panel()}>
          <SidePanel chat={chat} comments={comments} onClose={togglePanel} />
        </Show>
      </Show>
    </div>
  );
}
