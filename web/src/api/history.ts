/** Settings → History: how many months of history stay in D1 before they move to R2. */
import type { HistorySettings } from '../../../worker/shared/history-wire';
import { get, put } from './client';

export const historySettings = {
  get: () => get<HistorySettings>('/api/settings/history'),
  set: (archiveAfterMonths: number | null) => put<HistorySettings>('/api/settings/history', { archiveAfterMonths }),
};
