import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { LOCALES, locale, setLocale, t } from '../i18n';
import { enableNotifications, notificationsOn, permission } from '../lib/notify';
import { api } from '../api';
import { me, setMe, setUsers, users } from '../state/session';
import { showToast } from './toast';
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
          <Show when={me()?.role !== 'observer'}>
            <span class={`status-dot status-${me()?.status ?? 'available'}`} data-testid="my-status" data-status={me()?.status ?? 'available'} />
          </Show>
        </span>
        <span class="user-name">
          {me()?.name}
          <Show when={me()?.status === 'away'}>
            <span class="muted"> · {t('presence.awayShort')}</span>
          </Show>
        </span>
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
      <Show when={me() && me()!.role !== 'observer'}>
        <StatusPicker />
      </Show>
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
      <Show when={me() && me()!.role !== 'observer'}>
        <A href="/settings/canned" class="menu-item" data-testid="canned-link" onClick={props.close}>
          {t('settings.canned')}
        </A>
      </Show>
      <button type="button" class="menu-item" data-testid="logout" onClick={props.onLogout}>
        {t('menu.logout')}
      </button>
    </div>
  );
}

/** The person's own status: away means the bots skip them (unless a bot assigns to everyone). */
function StatusPicker() {
  const choose = (status: 'available' | 'away') =>
    api.account.setStatus(status).then(
      (r) => {
        setMe({ ...me()!, status: r.status });
        setUsers(users().map((u) => (u.id === r.id ? { ...u, status: r.status } : u)));
      },
      () => showToast(t('presence.failed')),
    );
  return (
    <fieldset class="menu-section" data-testid="status-picker">
      <legend>{t('presence.label')}</legend>
      <For each={['available', 'away'] as const}>
        {(s) => (
          <label class="radio">
            <input
              type="radio"
              name="status"
              value={s}
              checked={(me()?.status ?? 'available') === s}
              data-testid={`status-${s}`}
              onChange={() => void choose(s)}
            />
            {t(`presence.${s}`)}
          </label>
        )}
      </For>
    </fieldset>
  );
}
