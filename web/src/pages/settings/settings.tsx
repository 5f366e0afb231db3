/** Settings (admin only): users and roles, messenger integrations with their queues, funnels. */
import { A, Navigate, useParams } from '@solidjs/router';
import { Match, Show, Switch } from 'solid-js';
import { t } from '../../i18n';
import { isAdmin } from '../../state/session';
import { FunnelsSettings } from './funnels';
import { IntegrationsSettings } from './integrations';
import { UsersSettings } from './users';

export default function SettingsPage() {
  const params = useParams<{ section?: string }>();
  return (
    <Show when={isAdmin()} fallback={<p class="state state-error" role="alert">{t('settings.adminOnly')}</p>}>
      <div class="page settings" data-testid="settings-page">
        <nav class="settings-nav" aria-label={t('nav.settings')}>
          <A href="/settings/users" activeClass="active" data-testid="settings-tab-users">
            {t('settings.users')}
          </A>
          <A href="/settings/integrations" activeClass="active" data-testid="settings-tab-integrations">
            {t('settings.integrations')}
          </A>
          <A href="/settings/funnels" activeClass="active" data-testid="settings-tab-funnels">
            {t('settings.funnels')}
          </A>
        </nav>
        <div class="settings-body">
          <Switch fallback={<Navigate href="/settings/users" />}>
            <Match when={params.section === 'users'}>
              <UsersSettings />
            </Match>
            <Match when={params.section === 'integrations'}>
              <IntegrationsSettings />
            </Match>
            <Match when={params.section === 'funnels'}>
              <FunnelsSettings />
            </Match>
          </Switch>
        </div>
      </div>
    </Show>
  );
}
