import { createResource, createSignal, Show } from 'solid-js';
import { api } from '../../api';
import { createFormAction } from '../../components/create-action';
import { FormError, Loaded } from '../../components/states';
import { t } from '../../i18n';

/**
 * Settings → History (administrators): after how many months closed a chat's messages move from D1 to
 * archive storage (R2), the server's default, and how much has moved so far.
 */
export function HistorySettings() {
  const [settings, { mutate, refetch }] = createResource(() => api.historySettings.get());
  const [saved, setSaved] = createSignal(false);
  const save = createFormAction(
    (f) => {
      const months = Number(String(f.get('archiveAfterMonths') ?? '').trim());
      if (!Number.isInteger(months) || months < 0 || months > 120 || String(f.get('archiveAfterMonths')).trim() === '') {
        save.setError(t('history.invalid'));
        return null;
      }
      return { months } as { months: number | null };
    },
    async ({ months }) => {
      setSaved(false);
      mutate(await api.historySettings.set(months));
      setSaved(true);
    },
  );
  return (
    <section class="settings-section" data-testid="history-settings">
      <h3>{t('history.title')}</h3>
      <p class="muted">{t('history.explain')}</p>
      <Loaded resource={settings} retry={refetch}>
        <Show when={settings()}>
          {(s) => (
            <form class="form-grid" onSubmit={save.submit}>
              <label class="field">
                <span>{t('history.months')}</span>
                <input name="archiveAfterMonths" type="number" min="0" max="120" step="1" value={s().archiveAfterMonths} data-testid="history-months" />
                <span class="muted">
                  {t('history.default', { n: s().defaultMonths })} {s().source === 'default' ? t('history.usingDefault') : ''}
                </span>
              </label>
              <FormError message={save.error()} />
              <div class="row">
                <button type="submit" class="btn btn-small" disabled={save.busy()} data-testid="history-save">
                  {t('common.save')}
                </button>
                <Show when={s().source === 'settings'}>
                  <button type="button" class="btn btn-small btn-secondary" disabled={save.busy()} onClick={() => void save.run({ months: null }, undefined as never)} data-testid="history-use-default">
                    {t('history.useDefault')}
                  </button>
                </Show>
                <Show when={saved()}>
                  <span class="muted">{t('history.saved')}</span>
                </Show>
              </div>
              <p class="muted" data-testid="history-moved">
                {t('history.moved', { messages: s().archived.messages, chats: s().archived.chats, kb: Math.ceil(s().archived.bytes / 1024) })}
              </p>
            </form>
          )}
        </Show>
      </Loaded>
    </section>
  );
}
