/** The signed-in user's mentions in comments: the latest ones and marking them read. */
import type { MyMentions } from '../../../worker/shared/mention-wire';
import { get, post } from './client';

export const mentions = {
  mine: () => get<MyMentions>('/api/me/mentions', { limit: 20 }),
  read: (which: { chatId?: string; ids?: string[] } = {}) => post<{ unread: number }>('/api/me/mentions/read', which),
};
