import { Show } from 'solid-js';
import { liveTrouble } from '../api/live';
import { t } from '../i18n';

/** Shown while a live socket is down; it disappears by itself once the socket is back. */
export function ConnBanner() {
  return (
    <Show when={liveTrouble()}>
      <div class="conn-banner" role="status" aria-live="polite" data-testid="reconnecting-banner">
        <span class="spinner" aria-hidden="true" />
        {t('live.reconnecting')}
      </div>
    </Show>
  );
}
