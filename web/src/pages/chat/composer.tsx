import { createEffect, createMemo, createSignal, on, Show, type JSX } from 'solid-js';
import { renderTemplate, type VariableValues } from '../../../../worker/domain/canned/template';
import type { CannedResponse } from '../../../../worker/shared/canned-wire';
import { t } from '../../i18n';
import { formatBytes } from '../../lib/format';
import { canned, ensureCanned, matchCanned } from '../../state/canned';
import { CANNED_LIST_ID, cannedOptionId, CannedPicker } from './canned-picker';

const TYPING_EVERY_MS = 3000;
/** `/` and a filter with no space yet: the canned-response picker is open. */
const PICKER_TEXT = /^\/(\S*)$/;

/** What the chat view (its keyboard shortcuts) may ask of the composer. */
export interface ComposerHandle {
  focus: () => void;
  /** Focuses the composer with `/` in it, which opens the canned-response picker (only when it is empty). */
  openCanned: () => void;
}

/**
 * Enter sends, Shift+Enter adds a line; one optional attachment goes with the text as caption. A text
 * of `/` and a filter opens the canned-response picker; the chosen response is put into the composer
 * with its variables filled in (`variables`), for the agent to read before sending.
 */
export function Composer(props: { onSend: (text: string, file?: File) => void; onTyping: () => void; variables: () => VariableValues; handle?: (h: ComposerHandle) => void }) {
  const [text, setText] = createSignal('');
  const [file, setFile] = createSignal<File | null>(null);
  /** The text the picker was dismissed (Esc) at: it stays closed until the text changes. */
  const [dismissedAt, setDismissedAt] = createSignal<string | null>(null);
  const [active, setActive] = createSignal(0);
  let area: HTMLTextAreaElement | undefined;
  let fileInput: HTMLInputElement | undefined;
  let lastTyping = 0;

  const query = () => PICKER_TEXT.exec(text())?.[1];
  const pickerOpen = () => query() !== undefined && dismissedAt() !== text();
  const matches = createMemo(() => (pickerOpen() ? matchCanned(canned(), query()!) : []));
  createEffect(on(pickerOpen, (open) => open && void ensureCanned()));
  createEffect(on(query, () => setActive(0)));

  const canSend = () => text().trim().length > 0 || !!file();

  function grow() {
    if (!area) return;
    area.style.height = 'auto';
    area.style.height = `${Math.min(area.scrollHeight, 160)}px`;
  }

  function send() {
    if (!canSend()) return;
    props.onSend(text().trim(), file() ?? undefined);
    setText('');
    setFile(null);
    if (fileInput) fileInput.value = '';
    queueMicrotask(grow);
    area?.focus();
  }

  function pick(r: CannedResponse) {
    const filled = renderTemplate(r.text, props.variables());
    setText(filled);
    queueMicrotask(() => {
      grow();
      area?.focus();
      area?.setSelectionRange(filled.length, filled.length);
    });
  }

  /** ↑/↓ move, Enter or Tab insert, Esc closes; true when the key was the picker's. */
  function pickerKey(e: KeyboardEvent): boolean {
    if (!pickerOpen() || e.altKey || e.ctrlKey || e.metaKey) return false;
    const n = matches().length;
    if (e.key === 'Escape') setDismissedAt(text());
    else if (e.key === 'ArrowDown' && n) setActive((active() + 1) % n);
    else if (e.key === 'ArrowUp' && n) setActive((active() + n - 1) % n);
    else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && n) pick(matches()[Math.min(active(), n - 1)]);
    else return false;
    e.preventDefault();
    e.stopPropagation();
    return true;
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.isComposing || pickerKey(e)) return;
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape') {
      // Leaves the composer, so the single-key shortcuts work again.
      area?.blur();
    }
  }

  function onInput(value: string) {
    setText(value);
    grow();
    const now = Date.now();
    if (value && now - lastTyping > TYPING_EVERY_MS) {
      lastTyping = now;
      props.onTyping();
    }
  }

  function openCanned() {
    if (!text()) setText('/');
    setDismissedAt(null);
    area?.focus();
  }
  props.handle?.({ focus: () => area?.focus(), openCanned });

  const activeId = () => (pickerOpen() && matches()[active()] ? cannedOptionId(matches()[active()].id) : undefined);

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <Show when={pickerOpen()}>
        <CannedPicker matches={matches()} active={active()} onPick={pick} onActive={setActive} />
      </Show>
      <Show when={file()}>
        <div class="composer-file" data-testid="composer-file">
          <span>📎 {file()!.name}</span>
          <span class="muted">{formatBytes(file()!.size)}</span>
          <button
            type="button"
            class="icon-btn"
            aria-label={t('composer.removeFile')}
            onClick={() => {
              setFile(null);
              if (fileInput) fileInput.value = '';
            }}
          >
            ×
          </button>
        </div>
      </Show>
      <div class="composer-row">
        <ToolButton label={t('composer.attach')} testid="attach-button" onClick={() => fileInput?.click()}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
              d="M16.5 6.5l-7.8 7.8a2 2 0 002.8 2.8l7.8-7.8a4 4 0 00-5.7-5.7l-7.8 7.8a6 6 0 008.5 8.5l6.4-6.4"
              fill="none"
              stroke="currentColor"
              stroke-width="1.8"
              stroke-linecap="round"
            />
          </svg>
        </ToolButton>
        <ToolButton label={t('canned.open')} testid="canned-button" keepFocus onClick={openCanned}>
          <span aria-hidden="true" class="canned-shortcut">/</span>
        </ToolButton>
        <input
          ref={fileInput}
          type="file"
          hidden
          data-testid="attach-input"
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
        <textarea
          ref={area}
          rows={1}
          class="composer-input"
          aria-label={t('composer.label')}
          placeholder={t('composer.placeholder')}
          title={t('composer.hint')}
          aria-autocomplete="list"
          aria-expanded={pickerOpen()}
          aria-controls={pickerOpen() ? CANNED_LIST_ID : undefined}
          aria-activedescendant={activeId()}
          value={text()}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          data-testid="composer"
        />
        <button type="submit" class="btn btn-primary" disabled={!canSend()} data-testid="send-button">
          {t('composer.send')}
        </button>
      </div>
    </form>
  );
}

/** One of the composer's icon buttons; its label is also its tooltip. */
function ToolButton(props: { label: string; testid: string; onClick: () => void; keepFocus?: boolean; children: JSX.Element }) {
  return (
    <button
      type="button"
      class="icon-btn"
      aria-label={props.label}
      title={props.label}
      data-testid={props.testid}
      // mousedown keeps the focus in the composer, so a picker it opens opens where the agent types.
      onMouseDown={(e) => props.keepFocus && e.preventDefault()}
      onClick={() => props.onClick()}
    >
      {props.children}
    </button>
  );
}
