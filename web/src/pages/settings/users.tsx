import { createSignal, For, onMount, Show } from 'solid-js';
import { api, errorText } from '../../api/client';
import type { Role, User } from '../../api/types';
import { ErrorBox, FormError, Loading } from '../../components/states';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { me, refreshUsers, setUsers, users } from '../../state/session';

const ROLES: Role[] = ['admin', 'employee', 'observer'];

export function UsersSettings() {
  const [status, setStatus] = createSignal<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = createSignal<string | null>(null);
  const [formError, setFormError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  async function load() {
    setStatus('loading');
    try {
      setUsers(await api.users.list());
      setStatus('ready');
    } catch (e) {
      setError(errorText(e, t));
      setStatus('error');
    }
  }
  onMount(load);

  /** Optimistic row edit; the previous row comes back if the server says no. */
  async function update(u: User, patch: Partial<Pick<User, 'name' | 'role' | 'active'>>) {
    const prev = users();
    setUsers(prev.map((x) => (x.id === u.id ? { ...x, ...patch } : x)));
    try {
      await api.users.update(u.id, patch);
    } catch (e) {
      setUsers(prev);
      showToast(errorText(e, t));
    }
  }

  async function create(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    setBusy(true);
    setFormError(null);
    try {
      await api.users.create({
        email: String(f.get('email')).trim(),
        name: String(f.get('name')).trim(),
        role: String(f.get('role')) as Role,
        password: String(f.get('password')),
      });
      form.reset();
      await refreshUsers();
    } catch (err) {
      setFormError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section data-testid="settings-users">
      <h1>{t('settings.users')}</h1>
      <Show when={status() === 'loading'}>
        <Loading />
      </Show>
      <Show when={status() === 'error'}>
        <ErrorBox message={error()!} onRetry={load} />
      </Show>
      <Show when={status() === 'ready'}>
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th>{t('users.name')}</th>
                <th>{t('users.email')}</th>
                <th>{t('users.role')}</th>
                <th>{t('users.active')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={users()}>
                {(u) => (
                  <tr data-testid="user-row" data-user-id={u.id}>
                    <td>
                      <input
                        aria-label={t('users.name')}
                        value={u.name}
                        onChange={(e) => {
                          const v = e.currentTarget.value.trim();
                          if (v && v !== u.name) void update(u, { name: v });
                        }}
                      />
                    </td>
                    <td>{u.email}</td>
                    <td>
                      <select
                        aria-label={t('users.role')}
                        value={u.role}
                        disabled={u.id === me()?.id}
                        onChange={(e) => void update(u, { role: e.currentTarget.value as Role })}
                        data-testid="user-role"
                      >
                        <For each={ROLES}>{(r) => <option value={r}>{t(`role.${r}`)}</option>}</For>
                      </select>
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={t('users.active')}
                        checked={u.active !== false}
                        disabled={u.id === me()?.id}
                        onChange={(e) => void update(u, { active: e.currentTarget.checked })}
                        data-testid="user-active"
                      />
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
      <form class="card form-grid" onSubmit={create} data-testid="user-form">
        <h2>{t('users.new')}</h2>
        <label class="field">
          <span>{t('users.name')}</span>
          <input name="name" required />
        </label>
        <label class="field">
          <span>{t('users.email')}</span>
          <input name="email" type="email" required />
        </label>
        <label class="field">
          <span>{t('users.role')}</span>
          {/* `selected` on the option: a select's value set before its options exist is lost */}
          <select name="role">
            <For each={ROLES}>
              {(r) => (
                <option value={r} selected={r === 'employee'}>
                  {t(`role.${r}`)}
                </option>
              )}
            </For>
          </select>
        </label>
        <label class="field">
          <span>{t('users.password')}</span>
          <input name="password" type="password" autocomplete="new-password" required minLength={8} />
        </label>
        <FormError message={formError()} />
        <button type="submit" class="btn btn-primary" disabled={busy()} data-testid="user-create">
          {t('common.create')}
        </button>
      </form>
    </section>
  );
}
