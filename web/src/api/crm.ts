/** The CRM: contacts, opportunities on funnel boards, tasks and projects. */
import type { Board } from '../../../worker/shared/board-wire';
import type { ContactPage, DirectoryContact } from '../../../worker/shared/contact-wire';
import type { Contact, Opportunity, Project, Task } from './types';
import { enc, get, items, patch, post, type List } from './client';

export const contacts = {
  get: (id: string) => get<Contact>(`/api/contacts/${enc(id)}`),
  search: (q: string, cursor?: string | null) => get<{ items: DirectoryContact[]; nextCursor: string | null }>('/api/contacts', { q, cursor, limit: 50 }),
  page: (id: string) => get<ContactPage | { mergedInto: string }>(`/api/contacts/${enc(id)}`),
  merge: (id: string, otherId: string) => post<Contact>(`/api/contacts/${enc(id)}/merge`, { otherId }),
  /** An emptied field is sent as null, which clears it. */
  update: (id: string, b: Partial<Pick<Contact, 'name' | 'phone' | 'email' | 'company'>>) =>
    patch<Contact>(`/api/contacts/${enc(id)}`, b),
};

export const opportunities = {
  create: (b: { contactId: string; funnelId: string; title: string; chatId?: string }) =>
    post<Opportunity>('/api/opportunities', b),
  update: (id: string, b: { stageId?: string; title?: string; amount?: number | null; outcome?: 'won' | 'lost' | null; outcomeReason?: string | null }) =>
    patch<Opportunity>(`/api/opportunities/${enc(id)}`, b),
  board: (funnelId: string, f: Record<string, string | undefined>) => get<Board>(`/api/funnels/${enc(funnelId)}/board`, f),
  /** One column's next cards after `cursor` (its totals come with the whole board). */
  column: (funnelId: string, stageId: string, cursor: string, f: Record<string, string | undefined>) =>
    get<Board>(`/api/funnels/${enc(funnelId)}/board`, { ...f, stageId, cursor }).then((b) => b.columns[0]),
};

export const tasks = {
  list: (q: { mine?: 'true'; done?: 'true' | 'false'; order?: 'due'; contactId?: string } = {}) => get<List<Task>>('/api/tasks', q).then(items),
  create: (b: { title: string; chatId?: string; contactId?: string; assigneeId?: string | null; dueAt?: string | null }) => post<Task>('/api/tasks', b),
  update: (id: string, b: { title?: string; done?: boolean; assigneeId?: string | null; dueAt?: string | null }) => patch<Task>(`/api/tasks/${enc(id)}`, b),
};

export const projects = {
  list: () => get<List<Project>>('/api/projects').then(items),
  create: (b: { name: string; chatId?: string }) => post<Project>('/api/projects', b),
};
