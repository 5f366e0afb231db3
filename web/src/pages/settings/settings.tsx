/**
 * Settings: users and roles, messenger integrations with their queues, funnels (admins); canned
 * responses, the one section employees open too (from the user menu): their own, and the shared set.
 */
import { A, Navigate, useParams } from '@solidjs/router';
import { Match, Show, Switch } from 'solid-js';
import { t } from '../../i18n';
import { canWrite, isAdmin } from '../../state/session';
import { CannedSettings } from './canned';
import { FunnelsSettings } from './funnels';
import { HistorySettings } from './history';
import { IntegrationsSettings } from './integrations';
import { UsersSettings } from './users';

export default function SettingsPage() {
  const params = useParams<{ section?: string }>();
  return (
    <Show when={isAdmin() || (canWrite() && params.section === 'canned')} fallback={<p class="state state-error" role="alert">{t('settings.adminOnly')}</p>}>
      <div class="page settings" data-testid="settings-page">
        <nav class="settings-nav" aria-label={t('nav.settings')}>
          <Show when={isAdmin()}>
            <Tab section="users" />
            <Tab section="integrations" />
            <Tab section="funnels" />
            <Tab section="history" />
          </Show>
          <Tab section="canned" />
        </nav>
        <div class="settings-body">
          <Switch fallback={<Navigate href="/settings/users" />}>
            <Match when={params.section === 'canned'}>
              <CannedSettings />
            </Match>
            <Match when={params.section === 'users'}>
              <UsersSettings />
            </Match>
            <Match when={params.section === 'integrations'}>
              <IntegrationsSettings />
            </Match>
            <Match when={params.section === 'funnels'}>
              <FunnelsSettings />
            </Match>
            <Match when={params.section === 'history'}>
              <HistorySettings />
            </Match>
          </Switch>
        </div>
      </div>
    </Show>
  );
}

/** A section's link in the settings nav. */
function Tab(props: { section: 'users' | 'integrations' | 'funnels' | 'history' | 'canned' }) {
  return (
    <A href={`/settings/${props.section}`} activeClass="active" data-testid={`settings-tab-${props.section}`}>
      {t(`settings.${props.section}`)}
    </A>
  );
}
