/**
 * The canned responses the logged-in person may use (the shared set and their own), loaded the first
 * time the composer or the settings page needs them; the settings page replaces them after a change.
 */
import { createSignal } from 'solid-js';
import type { CannedResponse } from '../../../worker/shared/canned-wire';
import { api } from '../api';

const [canned, setCanned] = createSignal<CannedResponse[]>([]);
export { canned, setCanned };

let loading: Promise<void> | null = null;

/** Loads the list once per login; a failure is forgotten so the next use tries again. */
export function ensureCanned(): Promise<void> {
  const pending = (loading ??= api.canned.list().then(
    (items) => void setCanned(items),
    () => {
      loading = null;
    },
  ));
  return pending;
}

/** Forgets the list (another person logged in). */
export function resetCanned() {
  loading = null;
  setCanned([]);
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The responses matching what follows `/`: shortcuts starting with it first, then shortcuts and titles
 * containing it (accents and case ignored); by shortcut within each.
 */
export function matchCanned(items: CannedResponse[], query: string): CannedResponse[] {
  const q = fold(query.trim());
  const rank = (r: CannedResponse) => (r.shortcut.startsWith(q) ? 0 : r.shortcut.includes(q) ? 1 : fold(r.title).includes(q) ? 2 : fold(r.text).includes(q) && q.length > 2 ? 3 : -1);
  return items
    .map((r) => ({ r, rank: rank(r) }))
    .filter((x) => x.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.r.shortcut.localeCompare(b.r.shortcut) || (a.r.scope === 'personal' ? -1 : 1))
    .map((x) => x.r);
}

/** The settings page's search: every word somewhere in the shortcut, title or text (accents and case ignored). */
export function searchCanned(items: CannedResponse[], query: string): CannedResponse[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return items;
  return items.filter((r) => {
    const hay = fold(`${r.shortcut} ${r.title} ${r.text}`);
    return words.every((w) => hay.includes(w));
  });
}
