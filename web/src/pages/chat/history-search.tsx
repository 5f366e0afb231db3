import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { api, errorText } from '../../api';
import { DatedList } from '../../components/dated-list';
import { ErrorBox } from '../../components/states';
import { t, tn } from '../../i18n';
import { Highlighted } from '../../lib/rich-text';

/** Search within this chat's history; matches are highlighted, clicking one jumps to it. */
export function HistorySearch(props: {
  chatId: string;
  onQuery: (q: string) => void;
  onJump: (id: string) => void;
  onClose: () => void;
}) {
  const [input, setInput] = createSignal('');
  const [query, setQuery] = createSignal('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  const [hits] = createResource(
    () => query().trim() || false,
    (q) => api.chats.search(props.chatId, q),
  );

  function onInput(v: string) {
    setInput(v);
    clearTimeout(timer);
    timer = setTimeout(() => {
      setQuery(v);
      props.onQuery(v.trim());
    }, 300);
  }

  return (
    <div class="history-search" data-testid="history-search">
      <div class="row">
        <input
          type="search"
          autofocus
          class="grow"
          placeholder={t('search.placeholder')}
          aria-label={t('search.placeholder')}
          value={input()}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              props.onClose();
            } else if (e.key === 'Enter') {
              const first = hits()?.[0];
              if (first) props.onJump(first.id);
            }
          }}
          data-testid="search-input"
        />
        <button type="button" class="icon-btn" aria-label={t('common.close')} onClick={props.onClose}>
          ×
        </button>
      </div>
      <Show when={query().trim()}>
        <div class="search-results" aria-live="polite">
          <Show when={hits.loading}>
            <p class="muted">{t('common.loading')}</p>
          </Show>
          <Show when={hits.error}>
            <ErrorBox message={errorText(hits.error, t)} />
          </Show>
          <Show when={hits() && !hits.loading}>
            <p class="muted" data-testid="search-count">
              {hits()!.length ? tn('search.results', hits()!.length) : t('search.none')}
            </p>
            <DatedList items={hits()!} itemClass="search-hit" testid="search-result" data={(h) => ({ 'data-item-id': h.id })} onPick={(h) => props.onJump(h.id)}>
              {(h) => (
                <span class="snippet">
                  {/* `parts` is the plain-text excerpt with match flags; `snippet` is HTML and never rendered. */}
                  <Show when={h.parts?.length} fallback={<Highlighted text={h.text ?? ''} q={query()} />}>
                    <For each={h.parts}>{(p) => (p.match ? <mark>{p.text}</mark> : p.text)}</For>
                  </Show>
                </span>
              )}
            </DatedList>
          </Show>
        </div>
      </Show>
    </div>
  );
}
