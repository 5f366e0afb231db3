import { createResource, For, Show } from 'solid-js';
import { api } from '../../api';
import { ActionForm } from '../../components/action-form';
import { createFormAction } from '../../components/create-action';
import { Loaded } from '../../components/states';
import { t } from '../../i18n';
import { funnels, setFunnels } from '../../state/session';

export function FunnelsSettings() {
  const [loaded, { refetch }] = createResource(async () => setFunnels(await api.funnels.list()));

  const create = createFormAction(
    (f) => {
      const name = String(f.get('name') ?? '').trim();
      const stages = String(f.get('stages') ?? '')
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
      return name && stages.length ? { name, stages } : null;
    },
    async ({ name, stages }, form) => {
      const created = await api.funnels.create(name, stages);
      setFunnels([...funnels().filter((x) => x.id !== created.id), created]);
      form.reset();
    },
  );

  return (
    <section data-testid="settings-funnels">
      <h1>{t('settings.funnels')}</h1>
      <Loaded resource={loaded} retry={refetch}>
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
      </Loaded>
      <ActionForm action={create} title={t('funnels.new')} button={t('common.create')} testid="funnel-form" buttonTestid="funnel-create">
        <label class="field">
          <span>{t('funnels.name')}</span>
          <input name="name" required />
        </label>
        <label class="field">
          <span>{t('funnels.stages')}</span>
          <textarea name="stages" rows={4} required />
        </label>
      </ActionForm>
    </section>
  );
}
