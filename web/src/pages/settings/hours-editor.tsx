import { createSignal, For, Show } from 'solid-js';
import { api } from '../../api';
import type { BusinessHours, BusinessHoursInput, HoursRange, Integration } from '../../api/types';
import { createFormAction } from '../../components/create-action';
import { SaveRow } from '../../components/action-form';
import { t } from '../../i18n';
import { integrations, setIntegrations } from '../../state/session';

/** Monday first, as teams read their week; the API's keys are the same names. */
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const zones = () => (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];

const showRanges = (ranges: HoursRange[] | undefined) => (ranges ?? []).map((r) => `${r.from}-${r.to}`).join(', ');

/** "09:00-12:00, 14:00-18:00" → ranges; null when a piece is not HH:MM-HH:MM. Empty = closed that day. */
function readRanges(text: string): HoursRange[] | null {
  const pieces = text.split(/[,;]/).map((p) => p.trim()).filter(Boolean);
  const ranges: HoursRange[] = [];
  for (const piece of pieces) {
    const m = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/.exec(piece);
    if (!m) return null;
    ranges.push({ from: `${m[1].padStart(2, '0')}:${m[2]}`, to: `${m[3].padStart(2, '0')}:${m[4]}` });
  }
  return ranges;
}

/**
 * A bot's business hours: its time zone, ranges per weekday, holidays and the out-of-office text that
 * replaces the auto-reply outside them (once per burst of client messages). Off = always open.
 */
export function HoursEditor(props: { integration: Integration }) {
  const hours = (): BusinessHours | null => props.integration.businessHours ?? null;
  const [on, setOn] = createSignal(hours() !== null);
  const [saved, setSaved] = createSignal(false);

  const save = createFormAction(
    (f): { businessHours: BusinessHoursInput | null } | null => {
      if (!on()) return { businessHours: null };
      const weekly: Partial<Record<Day, HoursRange[]>> = {};
      for (const day of DAYS) {
        const ranges = readRanges(String(f.get(`day-${day}`) ?? ''));
        if (!ranges) {
          save.setError(t('hours.badRanges', { day: t(`hours.day.${day}`) }));
          return null;
        }
        weekly[day] = ranges;
      }
      const holidays = String(f.get('holidays') ?? '').split(/[\s,;]+/).filter(Boolean);
      const wrongDate = holidays.find((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d));
      if (wrongDate) {
        save.setError(t('hours.badDate', { value: wrongDate }));
        return null;
      }
      return {
        businessHours: {
          timeZone: String(f.get('timeZone') ?? '').trim(), weekly, holidays: [...new Set(holidays)],
          outOfOfficeText: String(f.get('outOfOfficeText') ?? ''),
        },
      };
    },
    async (patch) => {
      setSaved(false);
      const updated = await api.integrations.update(props.integration.id, patch);
      setIntegrations(integrations().map((x) => (x.id === updated.id ? updated : x)));
      setSaved(true);
    },
  );

  const listId = `zones-${props.integration.id}`;
  return (
    <form class="form-grid hours-editor" onSubmit={save.submit} data-testid="hours-editor">
      <h4>{t('hours.title')}</h4>
      <label class="switch">
        <input type="checkbox" checked={on()} onChange={(e) => setOn(e.currentTarget.checked)} data-testid="hours-enabled" />
        <span>{t('hours.enabled')}</span>
      </label>
      <Show when={on()}>
        <label class="field">
          <span>{t('hours.timeZone')}</span>
          <input name="timeZone" list={listId} required value={hours()?.timeZone ?? browserZone()} data-testid="hours-timezone" />
          <datalist id={listId}>
            <For each={zones()}>{(z) => <option value={z} />}</For>
          </datalist>
        </label>
        <fieldset class="hours-week">
          <legend>{t('hours.week')}</legend>
          <span class="muted">{t('hours.rangesHint')}</span>
          <For each={DAYS}>
            {(day) => (
              <label class="field hours-day">
                <span>{t(`hours.day.${day}`)}</span>
                <input
                  name={`day-${day}`}
                  value={hours() ? showRanges(hours()!.weekly[day]) : day === 'sat' || day === 'sun' ? '' : '09:00-18:00'}
                  placeholder={t('hours.closed')}
                  data-testid={`hours-day-${day}`}
                />
              </label>
            )}
          </For>
        </fieldset>
        <label class="field">
          <span>{t('hours.holidays')}</span>
          <textarea name="holidays" rows={2} value={(hours()?.holidays ?? []).join('\n')} placeholder="2026-12-25" data-testid="hours-holidays" />
        </label>
        <label class="field">
          <span>{t('hours.outOfOffice')}</span>
          <textarea name="outOfOfficeText" rows={2} maxLength={4000} value={hours()?.outOfOfficeText ?? ''} data-testid="hours-ooo" />
          <span class="muted">{t('hours.outOfOfficeHint')}</span>
        </label>
      </Show>
      <SaveRow action={save} saved={saved()} label={t('hours.save')} testid="hours-save" />
    </form>
  );
}
