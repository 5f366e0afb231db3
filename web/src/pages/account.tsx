/** The signed-in user's account: change the password, see the sessions and end the ones not wanted. */
import { createResource, For, Show } from 'solid-js';
import { api, ApiError, errorText } from '../api';
import { ActionForm } from '../components/action-form';
import { createFormAction } from '../components/create-action';
import { Loaded } from '../components/states';
import { showToast } from '../components/toast';
import { t } from '../i18n';
import { formatDateTime } from '../lib/format';
import { me } from '../state/session';

/** The server's messages are English; the ones a user meets here get their own text. */
function accountErrorText(err: unknown): string {
  if (err instanceof ApiError && err.code === 'wrong_password') return t('account.wrongPassword');
  if (err instanceof ApiError && err.status === 429) return t('login.throttled', { seconds: err.retryAfterSeconds ?? 60 });
  if (err instanceof ApiError && err.status === 400) return t('account.weakPassword');
  return errorText(err, t);
}

export default function AccountPage() {
  const [sessions, { refetch }] = createResource(() => api.account.sessions());

  const change = createFormAction(
    (f) => {
      const next = String(f.get('newPassword'));
      if (next !== String(f.get('confirmPassword'))) {
        change.setError(t('account.mismatch'));
        return null;
      }
      return { old: String(f.get('oldPassword')), next };
    },
    async (v, form) => {
      try {
        await api.account.changePassword(v.old, v.next);
      } catch (err) {
        throw err instanceof ApiError ? new ApiError(err.status, err.code, accountErrorText(err)) : err;
      }
      form.reset();
      showToast(t('account.passwordChanged'));
      await refetch();
    },
  );

  async function revoke(id: string) {
    try {
      await api.account.revokeSession(id);
      await refetch();
    } catch (err) {
      showToast(errorText(err, t));
    }
  }

  return (
    <div class="page account" data-testid="account-page">
      <h1>{t('account.title')}</h1>
      <p class="muted">
        {me()?.name} · {me()?.email}
      </p>
      <ActionForm action={change} title={t('account.changePassword')} button={t('common.save')} testid="password-form" buttonTestid="password-save">
        <label class="field">
          <span>{t('account.oldPassword')}</span>
          <input name="oldPassword" type="password" autocomplete="current-password" required data-testid="password-old" />
        </label>
        <label class="field">
          <span>{t('account.newPassword')}</span>
          <input name="newPassword" type="password" autocomplete="new-password" required minLength={8} data-testid="password-new" />
        </label>
        <label class="field">
          <span>{t('account.confirmPassword')}</span>
          <input name="confirmPassword" type="password" autocomplete="new-password" required minLength={8} data-testid="password-confirm" />
        </label>
      </ActionForm>
      <section class="card" data-testid="sessions">
        <h2>{t('account.sessions')}</h2>
        <Loaded resource={sessions} retry={refetch}>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>{t('account.device')}</th>
                  <th>{t('account.signedIn')}</th>
                  <th>{t('account.lastSeen')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                <For each={sessions()}>
                  {(s) => (
                    <tr data-testid="session-row" data-current={s.current ? 'true' : undefined}>
                      <td>{s.userAgent ?? t('common.none')}</td>
                      <td>{formatDateTime(s.createdAt)}</td>
                      <td>{formatDateTime(s.lastSeenAt)}</td>
                      <td>
                        <Show when={!s.current} fallback={<span class="muted">{t('account.thisSession')}</span>}>
                          <button type="button" class="btn btn-small" data-testid="session-revoke" onClick={() => void revoke(s.id)}>
                            {t('account.revoke')}
                          </button>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Loaded>
      </section>
    </div>
  );
}
