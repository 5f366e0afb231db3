/**
 * A contact's page: their fields, every chat on every channel (newest first, each linking to the chat),
 * opportunities, tasks (and a new one for this contact), comments from their chats, and likely duplicates
 * to merge. An old link to a merged-away contact goes on to the survivor.
 */
import { A, useNavigate, useParams } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { api, errorText } from '../../api';
import { Loaded } from '../../components/states';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { formatAmount, formatDateTime } from '../../lib/format';
import { canWrite, userName } from '../../state/session';
import type { ContactPage as Page } from '../../../../worker/shared/contact-wire';

function Section(props: { title: string; testid: string; empty: boolean; children: JSX.Element }) {
  return (
    <section class="crm-section" data-testid={props.testid}>
      <h2>{props.title}</h2>
      <Show when={!props.empty} fallback={<p class="muted">{t('contacts.none')}</p>}>
        {props.children}
      </Show>
    </section>
  );
}

export default function ContactPage() {
  const params = useParams<{ id: string }>();
  const navigate = useNavigate();
  const [data, { refetch }] = createResource(() => params.id, async (id) => {
    const res = await api.contacts.page(id);
    if ('mergedInto' in res) {
      navigate(`/contacts/${res.mergedInto}`, { replace: true });
      return undefined;
    }
    return res;
  });
  const c = () => data() as Page | undefined;

  async function save(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const field = (k: string) => String(f.get(k) ?? '').trim();
    try {
      await api.contacts.update(params.id, { name: field('name'), phone: field('phone') || null, email: field('email') || null, company: field('company') || null });
      showToast(t('contacts.saved'), 'info');
      void refetch();
    } catch (err) {
      showToast(errorText(err, t), 'error');
    }
  }

  // Merging cannot be undone: the first click asks, the second (on the question) merges.
  const [asking, setAsking] = createSignal<string | null>(null);
  async function merge(otherId: string) {
    setAsking(null);
    try {
      await api.contacts.merge(params.id, otherId);
      showToast(t('contacts.merged'), 'info');
      void refetch();
    } catch (err) {
      showToast(errorText(err, t), 'error');
    }
  }

  async function addTask(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const title = String(new FormData(form).get('title') ?? '').trim();
    if (!title) return;
    try {
      await api.tasks.create({ title, contactId: params.id });
      form.reset();
      void refetch();
    } catch (err) {
      showToast(errorText(err, t), 'error');
    }
  }

  return (
    <section class="page crm-page" data-testid="contact-page">
      <Loaded resource={data} retry={refetch}>
        <Show when={c()}>
          {(contact) => (
            <>
              <h1 data-testid="contact-name">{contact().name}</h1>
              <p class="muted" data-testid="contact-identities">{contact().identities.map((i) => i.channel).join(' · ')}</p>
              <form class="crm-fields" onSubmit={save} data-testid="contact-form">
                <For each={['name', 'phone', 'email', 'company'] as const}>
                  {(k) => (
                    <label class="field">
                      <span>{t(`contacts.${k}`)}</span>
                      <input name={k} value={contact()[k] ?? ''} disabled={!canWrite()} />
                    </label>
                  )}
                </For>
                <Show when={canWrite()}>
                  <button class="btn" type="submit">{t('contacts.save')}</button>
                </Show>
              </form>
              <Show when={contact().duplicates.length > 0 && canWrite()}>
                <Section title={t('contacts.duplicates')} testid="contact-duplicates" empty={false}>
                  <ul class="crm-list">
                    <For each={contact().duplicates}>
                      {(d) => (
                        <li class="crm-row" data-testid="duplicate-row">
                          <A href={`/contacts/${d.id}`}>{d.name}</A>
                          <span class="muted"> {d.channels.join(', ')} · {t(`contacts.dupReason.${d.reason}`)} </span>
                          <Show
                            when={asking() === d.id}
                            fallback={<button type="button" class="btn btn-small" onClick={() => setAsking(d.id)} data-testid="merge-duplicate">{t('contacts.merge')}</button>}
                          >
                            <span role="alert">{t('contacts.mergeConfirm', { name: d.name })}</span>
                            <button type="button" class="btn btn-small btn-primary" onClick={() => void merge(d.id)} data-testid="merge-confirm">{t('contacts.merge')}</button>
                            <button type="button" class="btn btn-small" onClick={() => setAsking(null)}>{t('common.cancel')}</button>
                          </Show>
                        </li>
                      )}
                    </For>
                  </ul>
                </Section>
              </Show>
              <Section title={t('contacts.chats')} testid="contact-chats" empty={contact().chats.length === 0}>
                <ul class="crm-list">
                  <For each={contact().chats}>
                    {(ch) => (
                      <li class="crm-row" data-testid="contact-chat" data-chat-id={ch.id}>
                        <A href={`/chats/${ch.id}`}>{ch.channel}</A>
                        <span class="muted"> {ch.lastMessagePreview} · {formatDateTime(ch.lastMessageAt)}</span>
                      </li>
                    )}
                  </For>
                </ul>
              </Section>
              <Section title={t('contacts.opportunities')} testid="contact-opportunities" empty={contact().opportunities.length === 0}>
                <ul class="crm-list">
                  <For each={contact().opportunities}>
                    {(o) => <li class="crm-row">{o.title} · {formatAmount(o.amount)}{o.outcome ? ` · ${t(o.outcome === 'won' ? 'board.won' : 'board.lost')}` : ''}</li>}
                  </For>
                </ul>
              </Section>
              <Section title={t('contacts.tasks')} testid="contact-tasks" empty={false}>
                <ul class="crm-list">
                  <For each={contact().tasks}>
                    {(task) => <li class="crm-row">{task.done ? '✓ ' : ''}{task.title} · {userName(task.assigneeId)} {task.dueAt ? `· ${formatDateTime(task.dueAt)}` : ''}</li>}
                  </For>
                </ul>
                <Show when={canWrite()}>
                  <form class="crm-inline" onSubmit={addTask}>
                    <input name="title" class="input" placeholder={t('contacts.newTask')} aria-label={t('contacts.newTask')} data-testid="contact-task-title" />
                    <button class="btn btn-small" type="submit">{t('tasks.create')}</button>
                  </form>
                </Show>
              </Section>
              <Section title={t('contacts.comments')} testid="contact-comments" empty={contact().comments.length === 0}>
                <ul class="crm-list">
                  <For each={contact().comments}>
                    {(m) => <li class="crm-row"><strong>{m.authorName}</strong> {m.text} <A href={`/chats/${m.chatId}`} class="muted">{formatDateTime(m.createdAt)}</A></li>}
                  </For>
                </ul>
              </Section>
            </>
          )}
        </Show>
      </Loaded>
    </section>
  );
}
