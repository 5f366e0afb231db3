import { createSignal, Show } from 'solid-js';
import { api, errorText } from '../../api';
import type { Integration } from '../../api/types';
import { t } from '../../i18n';
import { integrations, setIntegrations } from '../../state/session';

/** A bot's satisfaction survey on or off: saved as soon as it is switched. */
export function CsatToggle(props: { integration: Integration }) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  async function set(on: boolean) {
    setBusy(true);
    setError(null);
    try {
      const updated = await api.integrations.update(props.integration.id, { csatEnabled: on });
      setIntegrations(integrations().map((x) => (x.id === updated.id ? updated : x)));
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="form-grid" data-testid="csat-settings">
      <h4>{t('settings.csat')}</h4>
      <label class="switch">
        <input
          type="checkbox"
          data-testid="csat-enabled"
          checked={props.integration.csatEnabled}
          disabled={busy()}
          onChange={(e) => void set(e.currentTarget.checked)}
        />
        <span>{t('settings.csatHint')}</span>
      </label>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
    </div>
  );
}
