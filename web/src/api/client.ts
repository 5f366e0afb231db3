/**
 * The typed API client: the only place in the UI that calls fetch. Every request goes to the same
 * origin with the session cookie; errors become ApiError with the contract's {code, message}; a 401
 * (outside login) calls the handler the app registered, which sends the user to the login screen.
 */
import type { HistorySettings } from '../../../worker/shared/history-wire';
import type {
  ArchiveFilters,
  ChatDetails,
  ChatListPage,
  Comment,
  Contact,
  Funnel,
  Group,
  Integration,
  Opportunity,
  Project,
  Queue,
  SearchHit,
  Task,
  TimelineMessage,
  TimelinePage,
  User,
} from './types';
import type { Session } from '../../../worker/shared/account-wire';
import type { Board } from '../../../worker/shared/board-wire';
import type { ReportOverviewWire } from '../../../worker/shared/reports-wire';
import type { CannedResponse, CreateCannedBody, PatchCannedBody } from '../../../worker/shared/canned-wire';
import type { ContactPage, DirectoryContact } from '../../../worker/shared/contact-wire';
import type { UserStatusView } from '../../../worker/shared/routing-wire';
import type { BusinessHoursInput } from '../../../worker/shared/business-hours';
import type { MentionableUser, MyMentions } from '../../../worker/shared/mention-wire';
type UserStatus = UserStatusView['status'];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: unknown,
    /** From Retry-After on a 429: how long the server asks us to wait. */
    readonly retryAfterSeconds?: number,
    /** The error's `details` (e.g. `{variables}` of 400 unknown_variable). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => {};
/** The app decides what a lost session means (navigate to /login). */
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}
/** The server said the session is over (a live socket closed with 4401): same as a 401. */
export function sessionEnded() {
  onUnauthorized();
}

type Query = Record<string, string | number | null | undefined>;

function qs(q: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path + (query ? qs(query) : ''), init);
  } catch {
    throw new ApiError(0, 'network', 'Network error');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; fields?: unknown; details?: unknown } } | undefined)?.error;
    if (res.status === 401 && path !== '/api/auth/login') onUnauthorized();
    const retryAfter = Number(res.headers.get('Retry-After'));
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.fields, retryAfter > 0 ? retryAfter : undefined, err?.details);
  }
  return data as T;
}

/** Lists may come bare (`[...]`) or wrapped (`{items: [...]}`); API.md shows both styles. */
function items<T>(r: T[] | { items: T[] } | null | undefined): T[] {
  if (!r) return [];
  return Array.isArray(r) ? r : r.items ?? [];
}

const get = <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query);
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
const del = <T = void>(path: string) => request<T>('DELETE', path);

type List<T> = T[] | { items: T[] };

export const api = {
  login: (email: string, password: string) =>
    post<{ user: User }>('/api/auth/login', { email, password }).then((r) => r.user),
  logout: () => post<void>('/api/auth/logout'),
  me: () => get<User>('/api/me'),

  /** The signed-in user's own account: password and sessions. */
  account: {
    changePassword: (oldPassword: string, newPassword: string) => put<void>('/api/me/password', { oldPassword, newPassword }),
    sessions: () => get<Session[]>('/api/me/sessions'),
    revokeSession: (id: string) => del(`/api/me/sessions/${enc(id)}`),
    setStatus: (status: UserStatus) => put<{ id: string; status: UserStatus }>('/api/me/status', { status }),
  },

  users: {
    list: () => get<List<User>>('/api/users').then(items),
    create: (u: { email: string; name: string; role: User['role']; password: string }) => post<User>('/api/users', u),
    update: (id: string, u: { name?: string; role?: User['role']; active?: boolean }) =>
      patch<User>(`/api/users/${enc(id)}`, u),
    setStatus: (id: string, status: UserStatus) => put<{ id: string; status: UserStatus }>(`/api/users/${enc(id)}/status`, { status }),
  },

  historySettings: {
    get: () => get<HistorySettings>('/api/settings/history'),
    set: (archiveAfterMonths: number | null) => put<HistorySettings>('/api/settings/history', { archiveAfterMonths }),
  },
  chats: {
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
  },

  integrations: {
    list: () => get<List<Integration>>('/api/integrations').then(items),
    create: (b: { channel: string; token: string; greetingText?: string; autoReplyText?: string; funnelId?: string }) =>
      post<Integration>('/api/integrations', b),
    update: (
      id: string,
      b: {
        greetingText?: string | null; autoReplyText?: string | null; funnelId?: string | null; enabled?: boolean;
        assignmentRule?: Integration['assignmentRule']; reassignAfterMinutes?: number | null; maxOpenChatsPerManager?: number | null;
        businessHours?: BusinessHoursInput | null; csatEnabled?: boolean;
      },
    ) => patch<Integration>(`/api/integrations/${enc(id)}`, b),
    remove: (id: string) => del(`/api/integrations/${enc(id)}`),
    queue: (id: string) => get<Queue>(`/api/integrations/${enc(id)}/queue`),
    setQueue: (id: string, body: { userIds: string[]; away?: string[]; maxOpenChatsPerManager?: number | null }) =>
      put<Queue>(`/api/integrations/${enc(id)}/queue`, body),
  },

  funnels: {
    list: () => get<List<Funnel>>('/api/funnels').then(items),
    create: (name: string, stages: string[]) => post<Funnel>('/api/funnels', { name, stages }),
  },

  mentions: {
    mine: () => get<MyMentions>('/api/me/mentions', { limit: 20 }),
    read: (which: { chatId?: string; ids?: string[] } = {}) => post<{ unread: number }>('/api/me/mentions/read', which),
  },

  canned: {
    list: () => get<List<CannedResponse>>('/api/canned-responses').then(items),
    create: (b: Omit<CreateCannedBody, 'scope'> & { scope?: CreateCannedBody['scope'] }) => post<CannedResponse>('/api/canned-responses', b),
    update: (id: string, b: PatchCannedBody) => patch<CannedResponse>(`/api/canned-responses/${enc(id)}`, b),
    remove: (id: string) => del(`/api/canned-responses/${enc(id)}`),
  },

  /** Reports (admins, employees): figures from rollups; `tz` is the viewer's zone. */
  reports: {
    overview: (q: Query) => get<ReportOverviewWire>('/api/reports/overview', q),
    csvUrl: (q: Query) => `/api/reports/export.csv${qs(q)}`,
  },

  contacts: {
    get: (id: string) => get<Contact>(`/api/contacts/${enc(id)}`),
    search: (q: string, cursor?: string | null) => get<{ items: DirectoryContact[]; nextCursor: string | null }>('/api/contacts', { q, cursor, limit: 50 }),
    page: (id: string) => get<ContactPage | { mergedInto: string }>(`/api/contacts/${enc(id)}`),
    merge: (id: string, otherId: string) => post<Contact>(`/api/contacts/${enc(id)}/merge`, { otherId }),
    /** An emptied field is sent as null, which clears it. */
    update: (id: string, b: Partial<Pick<Contact, 'name' | 'phone' | 'email' | 'company'>>) =>
      patch<Contact>(`/api/contacts/${enc(id)}`, b),
  },

  opportunities: {
    create: (b: { contactId: string; funnelId: string; title: string; chatId?: string }) =>
      post<Opportunity>('/api/opportunities', b),
    update: (id: string, b: { stageId?: string; title?: string; amount?: number | null; outcome?: 'won' | 'lost' | null; outcomeReason?: string | null }) =>
      patch<Opportunity>(`/api/opportunities/${enc(id)}`, b),
    board: (funnelId: string, f: Record<string, string | undefined>) => get<Board>(`/api/funnels/${enc(funnelId)}/board`, f),
  },

  tasks: {
    list: (q: { mine?: 'true'; done?: 'true' | 'false'; order?: 'due'; contactId?: string } = {}) => get<List<Task>>('/api/tasks', q).then(items),
    create: (b: { title: string; chatId?: string; contactId?: string; assigneeId?: string | null; dueAt?: string | null }) => post<Task>('/api/tasks', b),
    update: (id: string, b: { title?: string; done?: boolean; assigneeId?: string | null; dueAt?: string | null }) => patch<Task>(`/api/tasks/${enc(id)}`, b),
  },
  projects: {
    list: () => get<List<Project>>('/api/projects').then(items),
    create: (b: { name: string; chatId?: string }) => post<Project>('/api/projects', b),
  },
};

/** The human text for an error, preferring our own words for transport failures. */
export function errorText(e: unknown, t: (k: 'error.network' | 'error.generic') => string): string {
  if (e instanceof ApiError) return e.code === 'network' ? t('error.network') : e.message || t('error.generic');
  return t('error.generic');
}
