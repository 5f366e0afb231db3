import { createSignal, Show, type JSX } from 'solid-js';
import { dismissable } from '../../components/popover';
import { t } from '../../i18n';
import { canWrite } from '../../state/session';
import { MuteToggle, ObserversEditor, ResponsibleSelect } from './chat-details';
import type { ChatState } from './chat-state';

const Icon = (props: { d: string }) => (
  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
    <path d={props.d} fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
  </svg>
);

const ICONS = {
  close: 'M5 12l4.5 4.5L19 7',
  reopen: 'M4 12a8 8 0 1 0 2.3-5.7M4 4v4h4',
  search: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM15.5 15.5L20 20',
  details: 'M4 7h16M4 12h16M4 17h10',
  info: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 11v6M12 7.5v.5',
  newTab: 'M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5',
  x: 'M6 6l12 12M18 6L6 18',
};

function QaButton(props: { id: string; label: string; icon: string; pressed?: boolean; onClick: () => void; ref?: (el: HTMLButtonElement) => void }) {
  return (
    <button
      ref={props.ref}
      type="button"
      class="qa-btn"
      aria-label={props.label}
      title={props.label}
      aria-pressed={props.pressed}
      data-testid={`qa-${props.id}`}
      onClick={props.onClick}
    >
      <Icon d={props.icon} />
    </button>
  );
}

function DetailsPopover(props: { chat: ChatState; close: () => void; trigger: () => HTMLElement | undefined }): JSX.Element {
  let el: HTMLDivElement | undefined;
  dismissable(() => el, props.close, props.trigger);
  return (
    <div ref={el} class="popover" role="dialog" aria-label={t('details.title')} data-testid="details-popover">
      <MuteToggle chat={props.chat} />
      <label class="field" for="qa-responsible">
        <span>{t('details.responsible')}</span>
      </label>
      <ResponsibleSelect chat={props.chat} id="qa-responsible" />
      <div class="field">
        <span>{t('details.observers')}</span>
        <ObserversEditor chat={props.chat} />
      </div>
    </div>
  );
}

/** The chat's quick actions: close dialog, search, details, info panel, new tab, close window. */
export function QuickActions(props: {
  chat: ChatState;
  searchOpen: boolean;
  panelOpen: boolean;
  onSearch: () => void;
  onPanel: () => void;
  onCloseWindow: () => void;
}) {
  const [details, setDetails] = createSignal(false);
  let detailsBtn: HTMLButtonElement | undefined;
  const closed = () => props.chat.detail()?.status === 'closed';

  return (
    <div class="quick-actions" role="toolbar" aria-label={t('qa.details')} data-testid="quick-actions">
      <Show when={canWrite() && props.chat.detail()}>
        <Show
          when={!closed()}
          fallback={<QaButton id="reopen" label={t('qa.reopen')} icon={ICONS.reopen} onClick={() => void props.chat.reopen()} />}
        >
          <QaButton id="close" label={t('qa.close')} icon={ICONS.close} onClick={() => void props.chat.close()} />
        </Show>
      </Show>
      <QaButton id="search" label={t('qa.search')} icon={ICONS.search} pressed={props.searchOpen} onClick={props.onSearch} />
      <div class="qa-anchor">
        <QaButton
          id="details"
          label={t('qa.details')}
          icon={ICONS.details}
          pressed={details()}
          ref={(el) => (detailsBtn = el)}
          onClick={() => setDetails(!details())}
        />
        <Show when={details()}>
          <DetailsPopover chat={props.chat} close={() => setDetails(false)} trigger={() => detailsBtn} />
        </Show>
      </div>
      <QaButton id="info" label={t('qa.info')} icon={ICONS.info} pressed={props.panelOpen} onClick={props.onPanel} />
      <a
        class="qa-btn"
        href={`/chats/${encodeURIComponent(props.chat.id)}`}
        target="_blank"
        rel="noopener"
        aria-label={t('qa.newTab')}
        title={t('qa.newTab')}
        data-testid="qa-new-tab"
      >
        <Icon d={ICONS.newTab} />
      </a>
      <QaButton id="close-window" label={t('qa.closeWindow')} icon={ICONS.x} onClick={props.onCloseWindow} />
    </div>
  );
}
