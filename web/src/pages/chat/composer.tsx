import { createSignal, Show } from 'solid-js';
import { t } from '../../i18n';
import { formatBytes } from '../../lib/format';

const TYPING_EVERY_MS = 3000;

/** Enter sends, Shift+Enter adds a line; one optional attachment goes with the text as caption. */
export function Composer(props: { onSend: (text: string, file?: File) => void; onTyping: () => void }) {
  const [text, setText] = createSignal('');
  const [file, setFile] = createSignal<File | null>(null);
  let area: HTMLTextAreaElement | undefined;
  let fileInput: HTMLInputElement | undefined;
  let lastTyping = 0;

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

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
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

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
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
        <button
          type="button"
          class="icon-btn"
          aria-label={t('composer.attach')}
          title={t('composer.attach')}
          data-testid="attach-button"
          onClick={() => fileInput?.click()}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
              d="M16.5 6.5l-7.8 7.8a2 2 0 002.8 2.8l7.8-7.8a4 4 0 00-5.7-5.7l-7.8 7.8a6 6 0 008.5 8.5l6.4-6.4"
              fill="none"
              stroke="currentColor"
              stroke-width="1.8"
              stroke-linecap="round"
            />
          </svg>
        </button>
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
