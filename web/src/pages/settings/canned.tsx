/**
 * Settings → Canned responses (every staff member): the shared set (admins change it) and one's own,
 * with a search of its own; one form creates or edits.
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import type { CannedResponse, CannedScope } from '../../../../worker/shared/canned-wire';
import { cannedVariables } from '../../../../worker/domain/canned/template';
import { api, ApiError, errorText } from '../../api';
import { FormError, Loaded } from '../../components/states';
import { showToast } from '../../components/toast';
import { t } from '../../i18n';
import { canned, searchCanned, setCanned } from '../../state/canned';
import { isAdmin } from '../../state/session';

const variableList = () => cannedVariables.map((v) => `{{${v}}}`).join(', ');

/** Our words for the refusals a person can fix in the form. */
function cannedError(e: unknown): string {
  if (e instanceof ApiError && e.code === 'unknown_variable') {
    const name = (e.details as { variables?: string[] } | undefined)?.variables?.[0] ?? '';
    return t('canned.error.unknownVariable', { name, list: variableList() });
  }
  if (e instanceof ApiError && e.code === 'shortcut_taken') return t('canned.error.shortcutTaken');
  if (e instanceof ApiError && e.code === 'too_many_canned_responses') return t('canned.error.tooMany');
  const fields = (e instanceof ApiError && e.code === 'validation_failed' ? (e.details as { fields?: { path: string }[] } | undefined)?.fields : undefined) ?? [];
  if (fields.some((f) => f.path === 'shortcut')) return t('canned.shortcutHint');
  return errorText(e, t);
}

const byShortcut = (a: CannedResponse, b: CannedResponse) => a.shortcut.localeCompare(b.shortcut);

function CannedForm(props: { editing?: CannedResponse; onDone: () => void }) {
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  async function submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const fields = { shortcut: String(f.get('shortcut') ?? '').trim().replace(/^\//, ''), title: String(f.get('title') ?? '').trim(), text: String(f.get('text') ?? '').trim() };
    setBusy(true);
    setError(null);
    try {
      const saved = props.editing
        ? await api.canned.update(props.editing.id, fields)
        : await api.canned.create({ ...fields, scope: (String(f.get('scope') ?? 'personal') as CannedScope) });
      setCanned([...canned().filter((r) => r.id !== saved.id), saved].sort(byShortcut));
      showToast(t('canned.saved'), 'info');
      if (!props.editing) form.reset();
      props.onDone();
    } catch (err) {
      setError(cannedError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="card form-grid" onSubmit={(e) => void submit(e)} data-testid="canned-form">
      <h2>{props.editing ? `${t('canned.edit')} /${props.editing.shortcut}` : t('canned.new')}</h2>
      <Show when={!props.editing && isAdmin()}>
        <label class="field">
          <span>{t('canned.scope')}</span>
          <select name="scope" data-testid="canned-scope">
            <option value="personal">{t('canned.scope.personal')}</option>
            <option value="shared">{t('canned.scope.shared')}</option>
          </select>
        </label>
      </Show>
      <label class="field">
        <span>{t('canned.shortcut')}</span>
        <input name="shortcut" required maxLength={33} value={props.editing?.shortcut ?? ''} title={t('canned.shortcutHint')} data-testid="canned-shortcut" />
        <small class="muted">{t('canned.shortcutHint')}</small>
      </label>
      <label class="field">
        <span>{t('canned.titleField')}</span>
        <input name="title" required maxLength={100} value={props.editing?.title ?? ''} data-testid="canned-title" />
      </label>
      <label class="field">
        <span>{t('canned.text')}</span>
        <textarea name="text" required rows={4} maxLength={4000} value={props.editing?.text ?? ''} data-testid="canned-text" />
        <small class="muted">{t('canned.variables', { list: variableList() })}</small>
      </label>
      <FormError message={error()} />
      <div class="row">
        <button type="submit" class="btn btn-primary" disabled={busy()} data-testid="canned-save">
          {t('canned.save')}
        </button>
        <Show when={props.editing}>
          <button type="button" class="btn btn-ghost" onClick={() => props.onDone()} data-testid="canned-cancel">
            {t('canned.cancel')}
          </button>
        </Show>
      </div>
    </form>
  );
}

function CannedItem(props: { item: CannedResponse; canManage: boolean; onEdit: () => void }) {
  async function remove() {
    if (!confirm(t('canned.confirmDelete', { shortcut: props.item.shortcut }))) return;
    try {
      await api.canned.remove(props.item.id);
      setCanned(canned().filter((r) => r.id !== props.item.id));
      showToast(t('canned.deleted'), 'info');
    } catch (e) {
      showToast(cannedError(e));
    }
  }
  return (
    <li class="card canned-item" data-testid="canned-item" data-canned-id={props.item.id} data-shortcut={props.item.shortcut}>
      <div class="canned-item-body">
        <span class="canned-shortcut">/{props.item.shortcut}</span> <strong>{props.item.title}</strong>
        <p class="canned-item-text">{props.item.text}</p>
      </div>
      <Show when={props.canManage}>
        <div class="canned-item-actions">
          <button type="button" class="btn btn-ghost" onClick={() => props.onEdit()} data-testid="canned-edit">
            {t('canned.edit')}
          </button>
          <button type="button" class="btn btn-ghost" onClick={() => void remove()} data-testid="canned-delete">
            {t('canned.delete')}
          </button>
        </div>
      </Show>
    </li>
  );
}

function Section(props: { title: string; note?: string; items: CannedResponse[]; canManage: boolean; testid: string; editing: string | null; onEdit: (id: string | null) => void }) {
  return (
    <section data-testid={props.testid}>
      <h2>{props.title}</h2>
      <Show when={props.note}>
        <p class="muted">{props.note}</p>
      </Show>
      <Show when={props.items.length} fallback={<p class="muted">{t('canned.none')}</p>}>
        <ul class="plain canned-list">
          <For each={props.items}>
            {(r) => (
              <Show when={props.editing === r.id} fallback={<CannedItem item={r} canManage={props.canManage} onEdit={() => props.onEdit(r.id)} />}>
                <li>
                  <CannedForm editing={r} onDone={() => props.onEdit(null)} />
                </li>
              </Show>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

export function CannedSettings() {
  const [loaded, { refetch }] = createResource(async () => setCanned(await api.canned.list()));
  const [query, setQuery] = createSignal('');
  const [editing, setEditing] = createSignal<string | null>(null);
  const shown = () => searchCanned(canned(), query());
  return (
    <section class="canned-settings" data-testid="settings-canned">
      <h1>{t('canned.title')}</h1>
      <p class="muted">{t('canned.intro')}</p>
      <input
        type="search"
        class="canned-search"
        placeholder={t('canned.search')}
        aria-label={t('canned.search')}
        value={query()}
        onInput={(e) => setQuery(e.currentTarget.value)}
        data-testid="canned-search"
      />
      <Loaded resource={loaded} retry={refetch}>
        <Section title={t('canned.personalSection')} items={shown().filter((r) => r.scope === 'personal')} canManage testid="canned-personal" editing={editing()} onEdit={setEditing} />
        <Section
          title={t('canned.sharedSection')}
          note={t('canned.sharedNote')}
          items={shown().filter((r) => r.scope === 'shared')}
          canManage={isAdmin()}
          testid="canned-shared"
          editing={editing()}
          onEdit={setEditing}
        />
      </Loaded>
      <CannedForm onDone={() => undefined} />
    </section>
  );
}
