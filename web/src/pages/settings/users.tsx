import { createResource, For, Show } from 'solid-js';
import { api, errorText } from '../../api';
import type { Role, User } from '../../api/types';
import { ActionForm } from '../../components/action-form';
import { createFormAction } from '../../components/create-action';
import { Loaded } from '../../components/states';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { me, refreshUsers, setMe, setUsers, users } from '../../state/session';

const ROLES: Role[] = ['admin', 'employee', 'observer'];

export function UsersSettings() {
  const [loaded, { refetch }] = createResource(async () => setUsers(await api.users.list()));

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

  /** An admin sets someone's status; the row comes back if the server says no. */
  async function setStatus(u: User, status: 'available' | 'away') {
    const prev = users();
    setUsers(prev.map((x) => (x.id === u.id ? { ...x, status } : x)));
    try {
      await api.users.setStatus(u.id, status);
      if (u.id === me()?.id) setMe({ ...me()!, status });
    } catch (e) {
      setUsers(prev);
      showToast(errorText(e, t));
    }
  }

  const create = createFormAction(
    (f) => ({
      email: String(f.get('email')).trim(),
      name: String(f.get('name')).trim(),
      role: String(f.get('role')) as Role,
      password: String(f.get('password')),
    }),
    async (user, form) => {
      await api.users.create(user);
      form.reset();
      await refreshUsers();
    },
  );

  return (
    <section data-testid="settings-users">
      <h1>{t('settings.users')}</h1>
      <Loaded resource={loaded} retry={refetch}>
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th>{t('users.name')}</th>
                <th>{t('users.email')}</th>
                <th>{t('users.role')}</th>
                <th>{t('users.active')}</th>
                <th>{t('users.status')}</th>
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
                        onChange={(e) => {
                          const active = e.currentTarget.checked;
                          // Deactivating sends their open chats back to the queue: the admin confirms it.
                          if (!active && !confirm(t('users.confirmDeactivate', { name: u.name }))) {
                            e.currentTarget.checked = true;
                            return;
                          }
                          void update(u, { active });
                        }}
                        data-testid="user-active"
                      />
                    </td>
                    <td>
                      <Show when={u.role !== 'observer'}>
                        <select
                          aria-label={t('users.status')}
                          value={u.status ?? 'available'}
                          onChange={(e) => void setStatus(u, e.currentTarget.value as 'available' | 'away')}
                          data-testid="user-status"
                        >
                          <option value="available">{t('presence.available')}</option>
                          <option value="away">{t('presence.away')}</option>
                        </select>
                        <Show when={u.online}>
                          <span class="muted" data-testid="user-online"> · {t('presence.online')}</span>
                        </Show>
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Loaded>
      <ActionForm action={create} title={t('users.new')} button={t('common.create')} testid="user-form" buttonTestid="user-create">
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
      </ActionForm>
    </section>
  );
}
