import { createSignal, For, onMount, Show } from 'solid-js';
import { api, errorText } from '../../api/client';
import { ErrorBox, FormError, Loading } from '../../components/states';
import { t } from '../../i18n';
import { funnels, setFunnels } from '../../state/session';

export function FunnelsSettings() {
  const [status, setStatus] = createSignal<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = createSignal<string | null>(null);
  const [formError, setFormError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  async function load() {
    setStatus('loading');
    try {
      setFunnels(await api.funnels.list());
      setStatus('ready');
    } catch (e) {
      setError(errorText(e, t));
      setStatus('error');
    }
  }
  onMount(load);

  async function create(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const name = String(f.get('name') ?? '').trim();
    const stages = String(f.get('stages') ?? '')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!name || !stages.length) return;
    setBusy(true);
    setFormError(null);
    try {
      const created = await api.funnels.create(name, stages);
      setFunnels([...funnels().filter((x) => x.id !== created.id), created]);
      form.reset();
    } catch (err) {
      setFormError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section data-testid="settings-funnels">
      <h1>{t('settings.funnels')}</h1>
      <Show when={status() === 'loading'}>
        <Loading />
      </Show>
      <Show when={status() === 'error'}>
        <ErrorBox message={error()!} onRetry={load} />
      </Show>
      <Show when={status() === 'ready'}>
        <Show when={funnels().length} fallback={<p class="muted">{t('funnels.none')}</p>}>
          <ul class="plain cards">
            <For each={funnels()}>
              {(f) => (
                <li class="card" data-testid="funnel">
                  <h2>{f.name}</h2>
                  <ol class="stages">
                    <For each={f.stages}>{(s) => <li>{s.name}</li>}</For>
                  </ol>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
      <form class="card form-grid" onSubmit={create} data-testid="funnel-form">
        <h2>{t('funnels.new')}</h2>
        <label class="field">
          <span>{t('funnels.name')}</span>
          <input name="name" required />
        </label>
        <label class="field">
          <span>{t('funnels.stages')}</span>
          <textarea name="stages" rows={4} required />
        </label>
        <FormError message={formError()} />
        <button type="submit" class="btn btn-primary" disabled={busy()} data-testid="funnel-create">
          {t('common.create')}
        </button>
      </form>
    </section>
  );
}
