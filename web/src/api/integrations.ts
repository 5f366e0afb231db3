/** Messenger integrations (bots) with their routing queue, and the funnels they feed. */
import type { BusinessHoursInput } from '../../../worker/shared/business-hours';
import type { Funnel, Integration, Queue } from './types';
import { del, enc, get, items, patch, post, put, type List } from './client';

export const integrations = {
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
};

export const funnels = {
  list: () => get<List<Funnel>>('/api/funnels').then(items),
  create: (name: string, stages: string[]) => post<Funnel>('/api/funnels', { name, stages }),
};
