/** The team: users an administrator creates, edits and marks present or away. */
import type { UserStatusView } from '../../../worker/shared/routing-wire';
import type { User } from './types';
import { enc, get, items, patch, post, put, type List } from './client';

type UserStatus = UserStatusView['status'];

export const users = {
  list: () => get<List<User>>('/api/users').then(items),
  create: (u: { email: string; name: string; role: User['role']; password: string }) => post<User>('/api/users', u),
  update: (id: string, u: { name?: string; role?: User['role']; active?: boolean }) =>
    patch<User>(`/api/users/${enc(id)}`, u),
  setStatus: (id: string, status: UserStatus) => put<{ id: string; status: UserStatus }>(`/api/users/${enc(id)}/status`, { status }),
};
