/**
 * The topbar's mentions button: the unread count as a badge, a list of my newest mentions (each opens
 * its chat), and a notice when one arrives live. Opening the chat clears its mentions on the server.
 */
import { useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { t } from '../i18n';
import { DatedList } from './dated-list';
import { freshMention, mentionList, readMentions, setFreshMention, unreadMentions } from '../state/mentions';
import { dismissable } from './popover';

export function MentionsBadge() {
  const navigate = useNavigate();
  const [open, setOpen] = createSignal(false);
  let button: HTMLButtonElement | undefined;
  let panel: HTMLDivElement | undefined;
  const go = (chatId: string) => {
    setOpen(false);
    setFreshMention(null);
    navigate(`/chats/${chatId}`);
  };
  return (
    <div class="mentions">
      <button
        ref={button}
        type="button"
        class="icon-btn mentions-button"
        aria-label={t('mentions.title')}
        aria-expanded={open()}
        data-testid="mentions-button"
        onClick={() => setOpen(!open())}
      >
        @
        <Show when={unreadMentions() > 0}>
          <span class="badge" data-testid="mentions-count">{unreadMentions()}</span>
        </Show>
      </button>
      <Show when={freshMention()}>
        {(m) => (
          <div class="mention-notice" role="status" data-testid="mention-notice">
            <button type="button" class="linkish" onClick={() => go(m().chatId)}>
              {t('mentions.notify', { name: m().authorName, client: m().contactName })}
            </button>
            <button type="button" class="icon-btn" aria-label="×" onClick={() => setFreshMention(null)}>×</button>
          </div>
        )}
      </Show>
      <Show when={open()}>
        <MentionsPanel ref={(el) => (panel = el)} onClose={() => setOpen(false)} button={() => button} panel={() => panel} go={go} />
      </Show>
    </div>
  );
}

function MentionsPanel(props: { ref: (el: HTMLDivElement) => void; onClose: () => void; button: () => HTMLElement | undefined; panel: () => HTMLElement | undefined; go: (chatId: string) => void }) {
  dismissable(props.panel, props.onClose, props.button);
  return (
    <div ref={props.ref} class="mentions-panel" role="dialog" aria-label={t('mentions.title')} data-testid="mentions-panel">
      <div class="mentions-head">
        <strong>{t('mentions.title')}</strong>
        <Show when={unreadMentions() > 0}>
          <button type="button" class="btn btn-small" data-testid="mentions-read-all" onClick={() => void readMentions()}>
            {t('mentions.readAll')}
          </button>
        </Show>
      </div>
      <Show when={mentionList().length > 0} fallback={<p class="muted">{t('mentions.none')}</p>}>
        <DatedList
          items={mentionList()}
          itemClass="mention-item"
          classList={(m) => ({ unread: !m.readAt })}
          testid="mention-item"
          data={(m) => ({ 'data-chat-id': m.chatId })}
          onPick={(m) => props.go(m.chatId)}
        >
          {(m) => (
            <>
              <span class="mention-who">{t('mentions.line', { name: m.authorName, client: m.contactName })}</span>
              <span class="mention-text">{m.text}</span>
            </>
          )}
        </DatedList>
      </Show>
    </div>
  );
}
