/** Signing in and out, and the signed-in user's own account: password, sessions, status. */
import type { Session } from '../../../worker/shared/account-wire';
import type { UserStatusView } from '../../../worker/shared/routing-wire';
import type { User } from './types';
import { del, enc, get, post, put } from './client';

type UserStatus = UserStatusView['status'];

export const auth = {
  login: (email: string, password: string) =>
    post<{ user: User }>('/api/auth/login', { email, password }).then((r) => r.user),
  logout: () => post<void>('/api/auth/logout'),
  me: () => get<User>('/api/me'),
};

export const account = {
  changePassword: (oldPassword: string, newPassword: string) => put<void>('/api/me/password', { oldPassword, newPassword }),
  sessions: () => get<Session[]>('/api/me/sessions'),
  revokeSession: (id: string) => del(`/api/me/sessions/${enc(id)}`),
  setStatus: (status: UserStatus) => put<{ id: string; status: UserStatus }>('/api/me/status', { status }),
};
