import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { LOCALES, locale, setLocale, t } from '../i18n';
import { enableNotifications, notificationsOn, permission } from '../lib/notify';
import { me } from '../state/session';
import { dismissable } from './popover';

export function UserMenu(props: { onLogout: () => void }) {
  const [open, setOpen] = createSignal(false);
  let button: HTMLButtonElement | undefined;
  const initials = () =>
    (me()?.name ?? '?')
      .split(/\s+/)
      .map((w) => w[0])
      .slice(0, 2)
      .join('')
      .toUpperCase();

  return (
    <div class="user-menu">
      <button
        ref={button}
        type="button"
        class="avatar-btn"
        aria-haspopup="true"
        aria-expanded={open()}
        aria-label={t('menu.open')}
        data-testid="user-menu-button"
        onClick={() => setOpen(!open())}
      >
        <span class="avatar" aria-hidden="true">
          {initials()}
        </span>
        <span class="user-name">{me()?.name}</span>
      </button>
      <Show when={open()}>
        <MenuBody close={() => setOpen(false)} trigger={() => button} onLogout={props.onLogout} />
      </Show>
    </div>
  );
}

function MenuBody(props: { close: () => void; trigger: () => HTMLElement | undefined; onLogout: () => void }) {
  let el: HTMLDivElement | undefined;
  dismissable(() => el, props.close, props.trigger);
  return (
    <div ref={el} class="menu" data-testid="user-menu">
      <div class="menu-head">
        <strong>{me()?.name}</strong>
        <span class="muted">{me()?.email}</span>
        <span class="muted">{me() ? t(`role.${me()!.role}`) : ''}</span>
      </div>
      <fieldset class="menu-section">
        <legend>{t('menu.language')}</legend>
        <For each={LOCALES}>
          {(l) => (
            <label class="radio">
              <input
                type="radio"
                name="locale"
                value={l.id}
                checked={locale() === l.id}
                data-testid={`locale-${l.id}`}
                onChange={() => setLocale(l.id)}
              />
              {l.label}
            </label>
          )}
        </For>
      </fieldset>
      <div class="menu-section">
        <Show
          when={!notificationsOn()}
          fallback={<span class="muted">{t('menu.notificationsOn')}</span>}
        >
          <Show when={permission() !== 'denied'} fallback={<span class="muted">{t('menu.notificationsDenied')}</span>}>
            <button type="button" class="btn btn-small" data-testid="enable-notifications" onClick={() => void enableNotifications()}>
              {t('menu.notifications')}
            </button>
          </Show>
        </Show>
      </div>
      <A href="/account" class="menu-item" data-testid="account-link" onClick={props.close}>
        {t('account.menu')}
      </A>
      <button type="button" class="menu-item" data-testid="logout" onClick={props.onLogout}>
        {t('menu.logout')}
      </button>
    </div>
  );
}
