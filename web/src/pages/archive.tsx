/** Archive: every chat the user may see, filtered; filters live in the URL so a search can be shared. */
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, For, on } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, errorText } from '../api/client';
import type { ArchiveFilters, ChatListItem } from '../api/types';
import { ChatList } from '../components/chat-list';
import { t } from '../i18n';
import { inboxHome } from '../state/inbox';
import { activeUsers, integrations } from '../state/session';

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

export default function ArchivePage() {
  const [params, setParams] = useSearchParams<Params>();
  const [s, set] = createStore({
    items: [] as ChatListItem[],
    nextCursor: null as string | null,
    state: 'idle' as 'idle' | 'loading' | 'ready' | 'error',
    error: null as string | null,
    loadingMore: false,
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
        <label class="field">
          <span>{t('archive.q')}</span>
          <input name="q" type="search" value={params.q ?? ''} data-testid="filter-q" />
        </label>
        <label class="field">
          <span>{t('archive.status')}</span>
          <select name="status" value={params.status ?? ''} data-testid="filter-status">
            <option value="">{t('archive.any')}</option>
            <option value="open">{t('archive.open')}</option>
            <option value="closed">{t('archive.closed')}</option>
          </select>
        </label>
        <label class="field">
          <span>{t('archive.responsible')}</span>
          <select name="responsibleId" value={params.responsibleId ?? ''} data-testid="filter-responsible">
            <option value="">{t('archive.any')}</option>
            <option value="none" selected={params.responsibleId === 'none'}>
              {t('common.nobody')}
            </option>
            <For each={activeUsers()}>
              {(u) => (
                <option value={u.id} selected={u.id === params.responsibleId}>
                  {u.name}
                </option>
              )}
            </For>
          </select>
        </label>
        <label class="field">
          <span>{t('archive.integration')}</span>
          <select name="integrationId" value={params.integrationId ?? ''} data-testid="filter-integration">
            <option value="">{t('archive.any')}</option>
            <For each={integrations()}>
              {(i) => (
                <option value={i.id} selected={i.id === params.integrationId}>
                  {i.name}
                </option>
              )}
            </For>
          </select>
        </label>
        <label class="field">
          <span>{t('archive.channel')}</span>
          <select name="channel" value={params.channel ?? ''} data-testid="filter-channel">
            <option value="">{t('archive.any')}</option>
            <option value="telegram">Telegram</option>
            <option value="viber">Viber</option>
          </select>
        </label>
        <label class="field">
          <span>{t('archive.tag')}</span>
          <input name="tag" value={params.tag ?? ''} data-testid="filter-tag" />
        </label>
        <label class="field">
          <span>{t('archive.from')}</span>
          <input name="from" type="date" value={params.from ?? ''} data-testid="filter-from" />
        </label>
        <label class="field">
          <span>{t('archive.to')}</span>
          <input name="to" type="date" value={params.to ?? ''} data-testid="filter-to" />
        </label>
        <div class="filters-actions">
          <button type="submit" class="btn btn-primary" data-testid="filter-apply">
            {t('archive.apply')}
          </button>
          <button type="button" class="btn" onClick={reset} data-testid="filter-reset">
            {t('archive.reset')}
          </button>
        </div>
      </form>
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
