/**
 * The `@` picker of a comment box: typing `@` and part of a name lists the colleagues who may be
 * mentioned in this chat (the server decides: GET /api/chats/:id/mentionable); arrows move, Enter or Tab
 * picks, Escape closes, a click picks. A pick writes `@Name ` into the text and remembers the id; the
 * comment then carries the ids whose `@Name` is still in its text.
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import { api } from '../../api';
import type { MentionableUser } from '../../../../worker/shared/mention-wire';
import { t } from '../../i18n';

/** The `@word` right before the caret, or null. */
export function mentionQuery(text: string, caret: number): { start: number; q: string } | null {
  const m = /(^|\s)@([^\s@]{0,30})$/.exec(text.slice(0, caret));
  return m ? { start: caret - m[2].length - 1, q: m[2] } : null;
}

export function createMentionPicker(chatId: string, text: () => string, setText: (v: string) => void) {
  const [at, setAt] = createSignal<{ start: number; q: string } | null>(null);
  const [active, setActive] = createSignal(0);
  const picked = new Map<string, string>();
  const [options] = createResource(() => at()?.q ?? false, (q) => api.chats.mentionable(chatId, q || undefined).catch(() => [] as MentionableUser[]));
  let box: HTMLTextAreaElement | undefined;

  const follow = (el: HTMLTextAreaElement) => {
    box = el;
    const next = mentionQuery(el.value, el.selectionStart ?? el.value.length);
    if (next?.q !== at()?.q || (next === null) !== (at() === null)) setActive(0);
    setAt(next);
  };
  const pick = (u: MentionableUser) => {
    const where = at();
    if (!where || !box) return;
    const caret = box.selectionStart ?? text().length;
    const value = `${text().slice(0, where.start)}@${u.name} ${text().slice(caret)}`;
    picked.set(u.id, u.name);
    setText(value);
    setAt(null);
    const pos = where.start + u.name.length + 2;
    queueMicrotask(() => box?.setSelectionRange(pos, pos));
    box.focus();
  };
  const list = () => (at() ? options() ?? [] : []);

  return {
    follow,
    /** Handles the picker's keys; true when the key was its own. */
    onKeyDown(e: KeyboardEvent): boolean {
      if (!at() || options.loading) return false;
      const n = list().length;
      if (e.key === 'Escape') return setAt(null), true;
      if (n === 0) return false;
      if (e.key === 'ArrowDown') return setActive((active() + 1) % n), true;
      if (e.key === 'ArrowUp') return setActive((active() - 1 + n) % n), true;
      if (e.key === 'Enter' || e.key === 'Tab') return pick(list()[Math.min(active(), n - 1)]), true;
      return false;
    },
    /** The ids of the people still mentioned in `value`; forgets the picks. */
    take(value: string): string[] {
      const ids = [...picked].filter(([, name]) => value.includes(`@${name}`)).map(([id]) => id);
      picked.clear();
      setAt(null);
      return ids;
    },
    close: () => setAt(null),
    View: () => (
      <Show when={at() && !options.loading}>
        <ul class="mention-picker" role="listbox" aria-label={t('mentions.pickerLabel')} data-testid="mention-picker">
          <For each={list()} fallback={<li class="muted">{t('mentions.noMatch')}</li>}>
            {(u, i) => (
              <li
                role="option"
                aria-selected={i() === active()}
                classList={{ active: i() === active() }}
                data-testid="mention-option"
                data-user-id={u.id}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(u);
                }}
              >
                {u.name}
                <Show when={u.role === 'observer'}>
                  <span class="muted"> · {t('mentions.observer')}</span>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    ),
  };
}
