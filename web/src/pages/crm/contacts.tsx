/** Contacts: the directory with accent-insensitive search (name, phone, email, company, username) and keyset pages. */
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { api, errorText } from '../../api';
import { ErrorBox, Loading } from '../../components/states';
import { t } from '../../i18n';
import type { DirectoryContact } from '../../../../worker/shared/contact-wire';

export default function ContactsPage() {
  const [params, setParams] = useSearchParams<{ q?: string }>();
  const [items, setItems] = createSignal<DirectoryContact[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let seq = 0;

  async function load(more: boolean) {
    const mine = ++seq;
    setLoading(true);
    setError(null);
    try {
      const page = await api.contacts.search(params.q ?? '', more ? next() : null);
      if (mine !== seq) return;
      setItems(more ? [...items(), ...page.items] : page.items);
      setNext(page.nextCursor);
    } catch (e) {
      if (mine === seq) setError(errorText(e, t));
    } finally {
      if (mine === seq) setLoading(false);
    }
  }
  createEffect(on(() => params.q, () => void load(false)));

  let timer: ReturnType<typeof setTimeout> | undefined;
  const typed = (value: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => setParams({ q: value || undefined }, { replace: true }), 250);
  };

  return (
    <section class="page crm-page" data-testid="contacts-page">
      <h1>{t('contacts.title')}</h1>
      <input
        type="search" class="input crm-search" placeholder={t('contacts.search')} aria-label={t('contacts.search')}
        value={params.q ?? ''} onInput={(e) => typed(e.currentTarget.value)} data-testid="contacts-search"
      />
      <Show when={error()}>{(m) => <ErrorBox message={m()} onRetry={() => void load(false)} />}</Show>
      <ul class="crm-list" data-testid="contacts-list">
        <For each={items()}>
          {(c) => (
            <li class="crm-row" data-testid="contact-row" data-contact-id={c.id}>
              <A href={`/contacts/${c.id}`} class="crm-row-main">
                <strong>{c.name}</strong>
                <span class="muted">{[c.username && `@${c.username}`, c.phone, c.email, c.company].filter(Boolean).join(' · ')}</span>
              </A>
            </li>
          )}
        </For>
      </ul>
      <Show when={!loading() && !error() && items().length === 0}>
        <p class="state" data-testid="contacts-empty">{t('contacts.empty')}</p>
      </Show>
      <Show when={loading()}>
        <Loading />
      </Show>
      <Show when={next() && !loading()}>
        <button type="button" class="btn" onClick={() => void load(true)} data-testid="contacts-more">
          {t('contacts.more')}
        </button>
      </Show>
    </section>
  );
}
