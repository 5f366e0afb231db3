/**
 * The inbox's keyboard shortcuts: one table (what the `?` overlay lists) and one keydown listener.
 * Screens register what a shortcut does while they are shown (`useShortcut`); a shortcut without a
 * handler does nothing. Single keys are ignored while the user types in a field, so typing "j" in the
 * composer is just a "j"; the few meant for typing (Alt+↑/↓) work there too.
 */
import { createSignal, onCleanup } from 'solid-js';
import type { MessageKey } from '../i18n';

export type ShortcutId = 'nextChat' | 'prevChat' | 'closeChat' | 'assignMe' | 'searchHistory' | 'canned' | 'reply' | 'help';

interface Shortcut {
  id: ShortcutId;
  /** What the overlay shows, one entry per way of pressing it. */
  keys: string[][];
  label: MessageKey;
  /** Its Alt+ form also works while focus is in a text field (everything else is ignored there). */
  whileTyping?: boolean;
  match: (e: KeyboardEvent) => boolean;
}

const plain = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey;
const letter = (e: KeyboardEvent, key: string) => plain(e) && !e.shiftKey && e.key.toLowerCase() === key;
const shifted = (e: KeyboardEvent, key: string) => plain(e) && e.shiftKey && e.key.toLowerCase() === key;
const altArrow = (e: KeyboardEvent, key: string) => e.altKey && !e.ctrlKey && !e.metaKey && e.key === key;

/** Every shortcut, in the order the overlay lists them. */
export const SHORTCUTS: Shortcut[] = [
  { id: 'nextChat', keys: [['J'], ['Alt', '↓']], label: 'shortcuts.nextChat', whileTyping: true, match: (e) => letter(e, 'j') || altArrow(e, 'ArrowDown') },
  { id: 'prevChat', keys: [['K'], ['Alt', '↑']], label: 'shortcuts.prevChat', whileTyping: true, match: (e) => letter(e, 'k') || altArrow(e, 'ArrowUp') },
  { id: 'reply', keys: [['R']], label: 'shortcuts.reply', match: (e) => letter(e, 'r') },
  { id: 'canned', keys: [['/']], label: 'shortcuts.canned', match: (e) => plain(e) && e.key === '/' },
  { id: 'assignMe', keys: [['Shift', 'A']], label: 'shortcuts.assignMe', match: (e) => shifted(e, 'a') },
  { id: 'closeChat', keys: [['Shift', 'C']], label: 'shortcuts.closeChat', match: (e) => shifted(e, 'c') },
  { id: 'searchHistory', keys: [['S']], label: 'shortcuts.search', match: (e) => letter(e, 's') },
  { id: 'help', keys: [['?']], label: 'shortcuts.help', match: (e) => !e.ctrlKey && !e.metaKey && e.key === '?' },
];

const handlers = new Map<ShortcutId, () => void>();

/** Makes `id` do `run` while the calling component lives. */
export function useShortcut(id: ShortcutId, run: () => void) {
  handlers.set(id, run);
  onCleanup(() => {
    if (handlers.get(id) === run) handlers.delete(id);
  });
}

const [helpOpen, setHelpOpen] = createSignal(false);
export { helpOpen, setHelpOpen };

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable;
}

/** Listens for the shortcuts while the calling component (the inbox) lives. */
export function installShortcuts() {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return;
    const typing = typingIn(e.target);
    for (const s of SHORTCUTS) {
      if (!s.match(e)) continue;
      // In a field only Alt+arrows count: "j" typed in the composer is a "j".
      if (typing && !(s.whileTyping && e.altKey)) return;
      const run = s.id === 'help' ? () => setHelpOpen(!helpOpen()) : handlers.get(s.id);
      if (!run) return;
      e.preventDefault();
      run();
      return;
    }
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => {
    document.removeEventListener('keydown', onKey);
    setHelpOpen(false);
  });
}
