/** Chats: the inbox lists and the archive, a chat's timeline, replies, actions and comments. */
import type { MentionableUser } from '../../../worker/shared/mention-wire';
import type { ArchiveFilters, ChatDetails, ChatListPage, Comment, Group, SearchHit, TimelineMessage, TimelinePage } from './types';
import { del, enc, get, items, patch, post, put, request, type List } from './client';

export const chats = {
  list: (group: Group, cursor?: string | null, limit = 30) =>
    get<ChatListPage>('/api/chats', { group, cursor, limit }),
  archive: (f: ArchiveFilters, cursor?: string | null, limit = 30) =>
    get<Omit<ChatListPage, 'counts'> & { truncated: boolean; olderHistoryNotSearched: boolean }>('/api/chats/archive', { ...f, cursor, limit }),
  get: (id: string) => get<ChatDetails>(`/api/chats/${enc(id)}`),
  timeline: (id: string, before?: string | null, limit = 40) =>
    get<TimelinePage>(`/api/chats/${enc(id)}/timeline`, { before, limit }),
  search: (id: string, q: string) => get<List<SearchHit>>(`/api/chats/${enc(id)}/search`, { q }).then(items),
  send: (id: string, text: string) => post<TimelineMessage>(`/api/chats/${enc(id)}/messages`, { text }),
  /** Re-queues a failed message of ours (same id); answers like send. */
  retry: (id: string, messageId: string) =>
    post<TimelineMessage>(`/api/chats/${enc(id)}/messages/${enc(messageId)}/retry`),
  /** Edits a sent reply (author or admin; Telegram only): 202 with the message as stored. */
  editMessage: (id: string, messageId: string, text: string) =>
    patch<TimelineMessage>(`/api/chats/${enc(id)}/messages/${enc(messageId)}`, { text }),
  /** Deletes a sent reply for the client too (author or admin; Telegram within 48 h). */
  deleteMessage: (id: string, messageId: string) => del<TimelineMessage>(`/api/chats/${enc(id)}/messages/${enc(messageId)}`),
  /** Multipart: `file` plus an optional `text` caption; answers like send (assumed, route pending). */
  upload: (id: string, file: File, text?: string) => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    if (text) fd.append('text', text);
    return request<TimelineMessage>('POST', `/api/chats/${enc(id)}/attachments`, fd);
  },
  close: (id: string) => post<ChatDetails>(`/api/chats/${enc(id)}/close`),
  reopen: (id: string) => post<ChatDetails>(`/api/chats/${enc(id)}/reopen`),
  /** Takes an unassigned chat; 409 `already_taken` (details: {name}) when someone was first. */
  take: (id: string) => post<ChatDetails>(`/api/chats/${enc(id)}/take`),
  /** assumed route: resets the unread counter for the current user; a 404 is ignored. */
  markRead: (id: string) => post<unknown>(`/api/chats/${enc(id)}/read`).catch(() => undefined),
  /** Existing tag names for suggestions. */
  tags: (q?: string) => get<List<{ id: string; name: string }>>('/api/tags', { q }).then(items),
  setResponsible: (id: string, userId: string | null) => put<ChatDetails>(`/api/chats/${enc(id)}/responsible`, { userId }),
  setObservers: (id: string, userIds: string[]) => put<ChatDetails>(`/api/chats/${enc(id)}/observers`, { userIds }),
  setTags: (id: string, tags: string[]) => put<{ tags: string[] }>(`/api/chats/${enc(id)}/tags`, { tags }),
  setMuted: (id: string, muted: boolean) => put<{ muted: boolean }>(`/api/chats/${enc(id)}/notifications`, { muted }),
  comments: (id: string) => get<List<Comment>>(`/api/chats/${enc(id)}/comments`).then(items),
  addComment: (id: string, text: string, mentions: string[] = []) =>
    post<Comment>(`/api/chats/${enc(id)}/comments`, mentions.length ? { text, mentions } : { text }),
  /** Colleagues who may be mentioned in a comment on this chat. */
  mentionable: (id: string, q?: string) => get<MentionableUser[]>(`/api/chats/${enc(id)}/mentionable`, { q }),
  link: (id: string, target: { taskId: string } | { projectId: string }) =>
    post<unknown>(`/api/chats/${enc(id)}/links`, target),
  unlink: (id: string, kind: 'task' | 'project', linkedId: string) =>
    del(`/api/chats/${enc(id)}/links/${kind}/${enc(linkedId)}`),
};
