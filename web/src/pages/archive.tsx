/** Archive: every chat the user may see, filtered; filters live in the URL so a search can be shared. */
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, Index, on, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, errorText } from '../api';
import type { ArchiveFilters, ChatListItem } from '../api/types';
import { ChatList } from '../components/chat-list';
import { t } from '../i18n';
import { inboxHome } from '../state/inbox';
import { activeUsers, integrations } from '../state/session';

const CHANNEL_OPTIONS = [
  { value: 'telegram', label: 'Telegram' },
  { value: 'viber', label: 'Viber' },
];
const KEYS = ['status', 'responsibleId', 'integrationId', 'channel', 'tag', 'from', 'to', 'q'] as const;
type Params = Partial<Record<(typeof KEYS)[number], string>>;

/** Date inputs give local days; the API gets the UTC instants that bound them. */
function toQuery(p: Params): ArchiveFilters {
  const f: ArchiveFilters = {};
  for (const k of KEYS) if (p[k]) f[k] = p[k];
  if (p.from) f.from = new Date(`${p.from}T00:00:00`).toISOString();
  if (p.to) f.to = new Date(`${p.to}T23:59:59.999`).toISOString();
  return f;
}

/** A text/date filter; `name` is its URL parameter, its label key (archive.*) and its test id (filter-*). */
function FilterInput(props: { name: 'q' | 'tag' | 'from' | 'to'; type?: 'search' | 'date'; value: string | undefined }) {
  return (
    <label class="field">
      <span>{t(`archive.${props.name}`)}</span>
      <input name={props.name} type={props.type} value={props.value ?? ''} data-testid={`filter-${props.name}`} />
    </label>
  );
}

/**
 * A select filter: "any" first, then the options (kept in place by position, so a language switch
 * relabels them without losing the choice). `selected` is set on the options as well, because lists
 * that arrive after the select would lose a value set before them.
 */
function FilterSelect(props: {
  name: 'status' | 'responsibleId' | 'integrationId' | 'channel';
  id: 'status' | 'responsible' | 'integration' | 'channel';
  value: string | undefined;
  options: { value: string; label: string }[];
}) {
  return (
    <label class="field">
      <span>{t(`archive.${props.id}`)}</span>
      <select name={props.name} value={props.value ?? ''} data-testid={`filter-${props.id}`}>
        <option value="">{t('archive.any')}</option>
        <Index each={props.options}>
          {(o) => (
            <option value={o().value} selected={o().value === props.value}>
              {o().label}
            </option>
          )}
        </Index>
      </select>
    </label>
  );
}

export default function ArchivePage() {
  const [params, setParams] = useSearchParams<Params>();
  const [s, set] = createStore({
    items: [] as ChatListItem[],
    nextCursor: null as string | null,
    state: 'idle' as 'idle' | 'loading' | 'ready' | 'error',
    error: null as string | null,
    loadingMore: false,
    truncated: false,
    olderHistoryNotSearched: false,
  });
  let generation = 0;

  async function load(more = false) {
    const gen = more ? generation : ++generation;
    if (more) {
      if (!s.nextCursor || s.loadingMore) return;
      set('loadingMore', true);
    } else set({ state: 'loading', error: null, items: [], nextCursor: null });
    try {
      const page = await api.chats.archive(toQuery({ ...params }), more ? s.nextCursor : null);
      if (gen !== generation) return; // filters changed meanwhile
      set({
        items: more ? [...s.items, ...page.items.filter((i) => !s.items.some((x) => x.id === i.id))] : page.items,
        nextCursor: page.nextCursor,
        truncated: page.truncated,
        olderHistoryNotSearched: page.olderHistoryNotSearched,
        state: 'ready',
        loadingMore: false,
      });
    } catch (e) {
      if (gen !== generation) return;
      if (more) set('loadingMore', false);
      else set({ state: 'error', error: errorText(e, t) });
    }
  }

  createEffect(on(() => KEYS.map((k) => params[k]).join('\u0000'), () => void load()));

  function submit(e: SubmitEvent) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget as HTMLFormElement);
    const next: Record<string, string | undefined> = {};
    for (const k of KEYS) next[k] = String(fd.get(k) ?? '').trim() || undefined;
    setParams(next, { replace: true });
  }

  const statusOptions = createMemo(() => [
    { value: 'open', label: t('archive.open') },
    { value: 'closed', label: t('archive.closed') },
  ]);
  const responsibleOptions = createMemo(() => [
    { value: 'none', label: t('common.nobody') },
    ...activeUsers().map((u) => ({ value: u.id, label: u.name })),
  ]);
  const integrationOptions = createMemo(() => integrations().map((i) => ({ value: i.id, label: i.name })));

  function reset(e: Event) {
    (e.currentTarget as HTMLButtonElement).form?.reset();
    setParams(Object.fromEntries(KEYS.map((k) => [k, undefined])), { replace: true });
  }

  return (
    <div class="page archive" data-testid="archive-page">
      <div class="page-head">
        <A href={inboxHome()} class="btn btn-ghost">
          ← {t('nav.clients')}
        </A>
        <h1>{t('archive.title')}</h1>
      </div>
      <form class="filters" onSubmit={submit} data-testid="archive-filters">
        <FilterInput name="q" type="search" value={params.q} />
        <FilterSelect name="status" id="status" value={params.status} options={statusOptions()} />
        <FilterSelect name="responsibleId" id="responsible" value={params.responsibleId} options={responsibleOptions()} />
        <FilterSelect name="integrationId" id="integration" value={params.integrationId} options={integrationOptions()} />
        <FilterSelect name="channel" id="channel" value={params.channel} options={CHANNEL_OPTIONS} />
        <FilterInput name="tag" value={params.tag} />
        <FilterInput name="from" type="date" value={params.from} />
        <FilterInput name="to" type="date" value={params.to} />
        <div class="filters-actions">
          <button type="submit" class="btn btn-primary" data-testid="filter-apply">
            {t('archive.apply')}
          </button>
          <button type="button" class="btn" onClick={reset} data-testid="filter-reset">
            {t('archive.reset')}
          </button>
        </div>
      </form>
      <Show when={s.state === 'ready' && s.truncated}>
        <p class="archive-truncated" role="status">{t('archive.truncated')}</p>
      </Show>
      <Show when={s.state === 'ready' && s.olderHistoryNotSearched}>
        <p class="archive-truncated" role="status" data-testid="archive-older-not-searched">{t('archive.olderHistoryNotSearched')}</p>
      </Show>
      <ChatList
        items={s.items}
        state={s.state}
        error={s.error}
        hasMore={!!s.nextCursor}
        loadingMore={s.loadingMore}
        onRetry={() => void load()}
        onMore={() => void load(true)}
        label={t('archive.title')}
      />
    </div>
  );
}
