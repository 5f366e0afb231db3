import { A } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import type { Contact } from '../../api/types';
import { t } from '../../i18n';
import { canWrite } from '../../state/session';
import type { ChatState } from './chat-state';
import { FormButtons } from './form-buttons';

const FIELDS = ['name', 'phone', 'email', 'company'] as const;

export function ContactSection(props: { chat: ChatState }) {
  const [editing, setEditing] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const c = () => props.chat.detail()?.contact;

  async function save(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const patch: Partial<Contact> = {};
    for (const k of FIELDS) {
      const v = String(f.get(k) ?? '').trim();
      if (v !== (c()?.[k] ?? '')) (patch as Record<string, string | null>)[k] = k === 'name' ? v : v || null;
    }
    if (patch.name === '') return;
    if (!Object.keys(patch).length) return setEditing(false);
    setBusy(true);
    if (await props.chat.updateContact(patch)) setEditing(false);
    setBusy(false);
  }

  return (
    <section class="panel-section" data-testid="panel-contact">
      <h3>{t('contact.title')}</h3>
      <Show when={c()}>
        <Show
          when={editing()}
          fallback={
            <>
              <dl class="facts">
                <dt>{t('contact.name')}</dt>
                <dd data-testid="contact-name">{c()!.name}</dd>
                <Show when={c()!.username}>
                  <dt>{t('contact.username')}</dt>
                  <dd>@{c()!.username}</dd>
                </Show>
                <dt>{t('contact.phone')}</dt>
                <dd>{c()!.phone || t('common.none')}</dd>
                <dt>{t('contact.email')}</dt>
                <dd>{c()!.email || t('common.none')}</dd>
                <dt>{t('contact.company')}</dt>
                <dd>{c()!.company || t('common.none')}</dd>
              </dl>
              <Show when={canWrite()}>
                <button type="button" class="btn btn-small" onClick={() => setEditing(true)} data-testid="contact-edit">
                  {t('common.edit')}
                </button>
                <A href={`/contacts/${c()!.id}`} class="btn btn-small" data-testid="contact-open">
                  {t('contacts.open')}
                </A>
              </Show>
            </>
          }
        >
          <form class="stack" onSubmit={save} data-testid="contact-form">
            <label class="field">
              <span>{t('contact.name')}</span>
              <input name="name" required value={c()!.name} />
            </label>
            <label class="field">
              <span>{t('contact.phone')}</span>
              <input name="phone" type="tel" value={c()!.phone ?? ''} />
            </label>
            <label class="field">
              <span>{t('contact.email')}</span>
              <input name="email" type="email" value={c()!.email ?? ''} />
            </label>
            <label class="field">
              <span>{t('contact.company')}</span>
              <input name="company" value={c()!.company ?? ''} />
            </label>
            <FormButtons label={t('common.save')} busy={busy()} testid="contact-save" onCancel={() => setEditing(false)} />
          </form>
        </Show>
      </Show>
    </section>
  );
}
