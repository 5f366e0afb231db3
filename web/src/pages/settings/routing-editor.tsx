import { createSignal, For } from 'solid-js';
import { api } from '../../api';
import type { Integration } from '../../api/types';
import { createFormAction } from '../../components/create-action';
import { SaveRow } from '../../components/action-form';
import { t } from '../../i18n';
import { integrations, setIntegrations } from '../../state/session';

const RULES = ['everyone', 'available', 'available_online'] as const;

/**
 * A bot's routing: who in the queue gets chats (everyone / the available / the available with Ponte
 * open) and how long a client may wait for a reply before the chat goes to the next manager.
 */
export function RoutingEditor(props: { integration: Integration }) {
  const [saved, setSaved] = createSignal(false);
  const save = createFormAction(
    (f) => {
      const raw = String(f.get('reassignAfterMinutes') ?? '').trim();
      const minutes = raw === '' ? null : Number(raw);
      if (minutes !== null && (!Number.isInteger(minutes) || minutes < 1 || minutes > 10_080)) {
        save.setError(t('int.reassignInvalid'));
        return null;
      }
      return { assignmentRule: String(f.get('assignmentRule')) as Integration['assignmentRule'], reassignAfterMinutes: minutes };
    },
    async (patch) => {
      setSaved(false);
      const updated = await api.integrations.update(props.integration.id, patch);
      setIntegrations(integrations().map((x) => (x.id === updated.id ? updated : x)));
      setSaved(true);
    },
  );
  return (
    <form class="form-grid" onSubmit={save.submit} data-testid="routing-editor">
      <h4>{t('int.routing')}</h4>
      <label class="field">
        <span>{t('int.rule')}</span>
        <select name="assignmentRule" data-testid="routing-rule">
          <For each={RULES}>
            {(r) => (
              <option value={r} selected={props.integration.assignmentRule === r}>
                {t(`int.rule.${r}`)}
              </option>
            )}
          </For>
        </select>
      </label>
      <label class="field">
        <span>{t('int.reassign')}</span>
        <input
          name="reassignAfterMinutes"
          type="number"
          min="1"
          max="10080"
          step="1"
          value={props.integration.reassignAfterMinutes ?? ''}
          data-testid="routing-reassign"
        />
        <span class="muted">{t('int.reassignHint')}</span>
      </label>
      <SaveRow action={save} saved={saved()} label={t('int.saveRouting')} testid="routing-save" />
    </form>
  );
}
