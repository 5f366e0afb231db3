/** Canned responses: the personal and shared replies the composer offers. */
import type { CannedResponse, CreateCannedBody, PatchCannedBody } from '../../../worker/shared/canned-wire';
import { del, enc, get, items, patch, post, type List } from './client';

export const canned = {
  list: () => get<List<CannedResponse>>('/api/canned-responses').then(items),
  create: (b: Omit<CreateCannedBody, 'scope'> & { scope?: CreateCannedBody['scope'] }) => post<CannedResponse>('/api/canned-responses', b),
  update: (id: string, b: PatchCannedBody) => patch<CannedResponse>(`/api/canned-responses/${enc(id)}`, b),
  remove: (id: string) => del(`/api/canned-responses/${enc(id)}`),
};
