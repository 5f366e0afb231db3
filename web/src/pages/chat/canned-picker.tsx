/**
 * The list the composer shows while its text is `/` plus a filter: the matching canned responses, one
 * of them active (the composer moves it with ↑/↓ and inserts it with Enter); a click inserts too.
 */
import { createEffect, For, Show } from 'solid-js';
import type { CannedResponse } from '../../../../worker/shared/canned-wire';
import { t } from '../../i18n';

export const CANNED_LIST_ID = 'canned-options';
export const cannedOptionId = (id: string) => `canned-option-${id}`;

export function CannedPicker(props: { matches: CannedResponse[]; active: number; onPick: (r: CannedResponse) => void; onActive: (i: number) => void }) {
  let list: HTMLUListElement | undefined;
  // Keep the active option in view as the arrows move it.
  createEffect(() => {
    const r = props.matches[props.active];
    if (r) list?.querySelector(`#${CSS.escape(cannedOptionId(r.id))}`)?.scrollIntoView({ block: 'nearest' });
  });
  return (
    <div class="canned-picker" data-testid="canned-picker">
      <Show when={props.matches.length} fallback={<p class="canned-empty" data-testid="canned-picker-empty">{t('canned.noMatch')}</p>}>
        <ul ref={list} id={CANNED_LIST_ID} class="canned-options" role="listbox" aria-label={t('canned.picker')}>
          <For each={props.matches}>
            {(r, i) => (
              <li
                id={cannedOptionId(r.id)}
                role="option"
                class="canned-option"
                aria-selected={i() === props.active}
                data-testid="canned-option"
                data-shortcut={r.shortcut}
                // mousedown, not click: the composer keeps the focus (and the caret) while the mouse picks.
                onMouseDown={(e) => {
                  e.preventDefault();
                  props.onPick(r);
                }}
                onMouseMove={() => i() !== props.active && props.onActive(i())}
              >
                <span class="canned-option-head">
                  <span class="canned-shortcut">/{r.shortcut}</span>
                  <strong>{r.title}</strong>
                  <Show when={r.scope === 'shared'}>
                    <span class="chip-small">{t('canned.shared')}</span>
                  </Show>
                </span>
                <span class="canned-preview">{r.text}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="canned-picker-foot">{t('canned.pickerHint')}</div>
    </div>
  );
}
