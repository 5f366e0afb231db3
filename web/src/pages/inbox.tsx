import { A, useMatch, useNavigate, type RouteSectionProps } from '@solidjs/router';
import { createEffect, For, on } from 'solid-js';
import type { Group } from '../api/types';
import { api, ApiError } from '../api';
import { ChatList } from '../components/chat-list';
import { ShortcutHelp } from '../components/shortcut-help';
import { installShortcuts, useShortcut } from '../lib/shortcuts';
import { showToast } from '../components/toast';
import { t } from '../i18n';
import { activeGroup, counts, GROUPS, inboxHome, lists, loadGroup, patchChat, setActiveGroup } from '../state/inbox';
import { canWrite, users } from '../state/session';

/** The Clients tab: the group list on the left, the open chat (child route) on the right. */
export function InboxLayout(props: RouteSectionProps) {
  const navigate = useNavigate();
  const groupMatch = useMatch(() => '/inbox/:group');
  const chatMatch = useMatch(() => '/chats/:id');
  const chatId = () => chatMatch()?.params.id ?? null;

  createEffect(() => {
    const g = groupMatch()?.params.group as Group | undefined;
    if (g && GROUPS.includes(g)) setActiveGroup(g);
    else if (g) navigate(inboxHome(), { replace: true });
  });
  createEffect(on(activeGroup, (g) => lists[g].state === 'idle' && void loadGroup(g)));

  function selectGroup(g: Group) {
    setActiveGroup(g);
    if (!chatId()) navigate(`/inbox/${g}`);
  }

  function onTabKey(e: KeyboardEvent) {
    const i = GROUPS.indexOf(activeGroup());
    let n = i;
    if (e.key === 'ArrowRight') n = (i + 1) % GROUPS.length;
    else if (e.key === 'ArrowLeft') n = (i + GROUPS.length - 1) % GROUPS.length;
    else return;
    e.preventDefault();
    selectGroup(GROUPS[n]);
    (e.currentTarget as HTMLElement).querySelector<HTMLElement>(`[data-group="${GROUPS[n]}"]`)?.focus();
  }

  const list = () => lists[activeGroup()];

  // J / K (and Alt+↓ / Alt+↑, also while typing) open the next / previous chat of the list.
  const step = (delta: 1 | -1) => {
    const items = list().items;
    const i = items.findIndex((c) => c.id === chatId());
    const next = items[i < 0 ? 0 : i + delta];
    if (next) navigate(`/chats/${next.id}`);
  };
  installShortcuts();
  useShortcut('nextChat', () => step(1));
  useShortcut('prevChat', () => step(-1));

  return (
    <div class="inbox" classList={{ 'has-chat': !!chatId() }}>
      <aside class="inbox-list-col" aria-label={t('nav.clients')}>
        <div class="group-tabs" role="tablist" onKeyDown={onTabKey}>
          <For each={GROUPS}>
            {(g) => (
              <button
                type="button"
                role="tab"
                class="group-tab"
                data-group={g}
                aria-selected={activeGroup() === g}
                tabIndex={activeGroup() === g ? 0 : -1}
                data-testid={`group-tab-${g}`}
                onClick={() => selectGroup(g)}
              >
                <span>{t(`group.${g}`)}</span>
                <span class="count" data-testid={`group-count-${g}`}>
                  {counts()?.[g] ?? ''}
                </span>
              </button>
            )}
          </For>
        </div>
        <ChatList
          items={list().items}
          state={list().state}
          error={list().error}
          hasMore={!!list().nextCursor}
          loadingMore={list().loadingMore}
          activeId={chatId()}
          onRetry={() => void loadGroup(activeGroup())}
          onMore={() => void loadGroup(activeGroup(), true)}
          label={t(`group.${activeGroup()}`)}
          onTake={activeGroup() === 'unassigned' && canWrite() ? (id) => void takeChat(id) : undefined}
        />
        <div class="list-footer">
          <A href="/archive" class="btn btn-ghost" data-testid="archive-button">
            {t('nav.archive')}
          </A>
        </div>
      </aside>
      <section class="inbox-chat-col">{props.children}</section>
      <ShortcutHelp />
    </div>
  );
}

export function InboxPlaceholder() {
  return (
    <div class="chat-placeholder" data-testid="chat-placeholder">
      {t('chat.select')}
    </div>
  );
}

/**
 * "Take" from Unassigned: the first taker wins; whoever was second hears who took it. The live frame
 * that follows moves the chat to the right group in every tab.
 */
async function takeChat(id: string) {
  try {
    const card = await api.chats.take(id);
    moveTo(id, card.responsibleId);
    showToast(t('take.done'), 'info');
  } catch (err) {
    if (err instanceof ApiError && err.code === 'already_taken') {
      const card = await api.chats.get(id).catch(() => null);
      if (card) moveTo(id, card.responsibleId);
      const name = users().find((u) => u.id === card?.responsibleId)?.name ?? '…';
      showToast(t('take.lost', { name }));
    } else {
      showToast(err instanceof Error ? err.message : t('error.generic'));
    }
  }
}

/** Moves a listed chat to the group its new responsible puts it in, before the live frame confirms. */
function moveTo(id: string, responsibleId: string | null) {
  patchChat(id, { responsibleId });
}
