/**
 * Who is logged in, plus the small reference lists many screens need (users, integrations, funnels).
 * Loaded once after login and refreshed by the screens that change them.
 */
import { createSignal } from 'solid-js';
import { api } from '../api';
import type { Funnel, Integration, User } from '../api/types';
import { t } from '../i18n';

/** undefined = still checking the session; null = logged out. */
const [me, setMe] = createSignal<User | null | undefined>(undefined);
export { me, setMe };

export const isAdmin = () => me()?.role === 'admin';
/** Observers read only: no composer, no close/assign, no edits. */
export const canWrite = () => !!me() && me()!.role !== 'observer';

const [users, setUsers] = createSignal<User[]>([]);
const [integrations, setIntegrations] = createSignal<Integration[]>([]);
const [funnels, setFunnels] = createSignal<Funnel[]>([]);
export { users, integrations, funnels, setUsers, setIntegrations, setFunnels };

export async function checkSession(): Promise<void> {
  try {
    setMe(await api.me());
  } catch {
    setMe(null);
  }
}

export function refreshUsers() {
  return api.users.list().then(setUsers, () => undefined);
}
export function refreshIntegrations() {
  return api.integrations.list().then(setIntegrations, () => undefined);
}
export function refreshFunnels() {
  return api.funnels.list().then(setFunnels, () => undefined);
}

/** Loads the reference lists; failures leave them empty (names then fall back to "Someone"). */
export function loadReferenceData() {
  void refreshUsers();
  void refreshIntegrations();
  void refreshFunnels();
}

export function userName(id: string | null | undefined): string {
  if (!id) return t('common.nobody');
  if (id === me()?.id) return me()!.name;
  return users().find((u) => u.id === id)?.name ?? t('common.unknownUser');
}

/** " · away" after the name of someone away (the queue skips them), so every picker shows it; '' otherwise. */
export function awaySuffix(id: string | null | undefined): string {
  if (!id) return '';
  const status = id === me()?.id ? me()!.status : users().find((u) => u.id === id)?.status;
  return status === 'away' ? ` · ${t('presence.awayShort')}` : '';
}

/** Users who can be made responsible / observer (active ones). */
export const activeUsers = () => users().filter((u) => u.active !== false);
