/** The `?` overlay: every inbox shortcut with its keys, in the user's language. */
import { For, onMount, Show } from 'solid-js';
import { t } from '../i18n';
import { helpOpen, setHelpOpen, SHORTCUTS } from '../lib/shortcuts';
import { dismissable } from './popover';

function Keys(props: { keys: string[] }) {
  return (
    <span class="kbd-group">
      <For each={props.keys}>{(k) => <kbd>{k}</kbd>}</For>
    </span>
  );
}

function Overlay() {
  let box: HTMLDivElement | undefined;
  let closeBtn: HTMLButtonElement | undefined;
  const previous = document.activeElement as HTMLElement | null;
  const close = () => {
    setHelpOpen(false);
    previous?.focus?.();
  };
  dismissable(() => box, close);
  onMount(() => closeBtn?.focus());
  return (
    <div class="overlay-backdrop">
      <div ref={box} class="overlay shortcuts" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcuts-overlay">
        <header class="overlay-head">
          <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
          <button ref={closeBtn} type="button" class="icon-btn" aria-label={t('shortcuts.close')} onClick={close} data-testid="shortcuts-close">
            ×
          </button>
        </header>
        <dl class="shortcut-list">
          <For each={SHORTCUTS}>
            {(s) => (
              <div class="shortcut-row" data-testid="shortcut" data-shortcut-id={s.id}>
                <dt>
                  <For each={s.keys}>
                    {(keys, i) => (
                      <>
                        <Show when={i() > 0}>
                          <span class="muted"> {t('shortcuts.or')} </span>
                        </Show>
                        <Keys keys={keys} />
                      </>
                    )}
                  </For>
                </dt>
                <dd>
                  {t(s.label)}
                  <Show when={s.whileTyping}>
                    <span class="muted"> (Alt: {t('shortcuts.whileTyping')})</span>
                  </Show>
                </dd>
              </div>
            )}
          </For>
          <div class="shortcut-row" data-testid="shortcut" data-shortcut-id="leave">
            <dt>
              <Keys keys={['Esc']} />
            </dt>
            <dd>{t('shortcuts.leave')}</dd>
          </div>
        </dl>
        <p class="muted small">{t('shortcuts.note')}</p>
      </div>
    </div>
  );
}

/** Shown while `helpOpen()`; rendered once by the inbox. */
export function ShortcutHelp() {
  return (
    <Show when={helpOpen()}>
      <Overlay />
    </Show>
  );
}
