/** The pieces of the Reports page: a headline figure with its change, and the per-manager table. */
import { For } from 'solid-js';
import { t, type MessageKey } from '../../i18n';
import './strings';
import type { ReportOverviewWire } from '../../../../worker/shared/reports-wire';

type Duration = ReportOverviewWire['figures']['firstResponse'];

/** "35 s", "4 min", "1 h 20 min", "2 d 3 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** The change against the previous period, as text; for durations, lower is better. */
function change(now: number | null, before: number | null): string {
  if (now === null || before === null) return '';
  if (before === 0) return now === 0 ? t('reports.noChange') : t('reports.noPrevious');
  const pct = Math.round(((now - before) / before) * 100);
  return pct === 0 ? t('reports.noChange') : t('reports.change', { sign: pct > 0 ? '+' : '', pct });
}

export function CountFigure(props: { label: MessageKey; now: number; before: number; testId: string }) {
  return (
    <div class="report-figure" data-testid={props.testId}>
      <span class="report-figure-label">{t(props.label)}</span>
      <strong class="report-figure-value" data-testid={`${props.testId}-value`}>{props.now.toLocaleString()}</strong>
      <span class="muted" data-testid={`${props.testId}-change`}>{change(props.now, props.before)}</span>
    </div>
  );
}

export function DurationFigure(props: { label: MessageKey; now: Duration; before: Duration | null; testId: string }) {
  return (
    <div class="report-figure" data-testid={props.testId}>
      <span class="report-figure-label">{t(props.label)}</span>
      <strong class="report-figure-value" data-testid={`${props.testId}-value`}>{formatDuration(props.now.p50Ms)}</strong>
      <span class="muted">{t('reports.avg', { value: formatDuration(props.now.avgMs), p90: formatDuration(props.now.p90Ms) })}</span>
      <span class="muted">{change(props.now.p50Ms, props.before?.p50Ms ?? null)}</span>
    </div>
  );
}

export function ManagerTable(props: { rows: ReportOverviewWire['managers'] }) {
  return (
    <table class="report-table" data-testid="report-managers">
      <thead>
        <tr>
          <th scope="col">{t('reports.manager')}</th>
          <th scope="col">{t('reports.newChats')}</th>
          <th scope="col">{t('reports.closed')}</th>
          <th scope="col">{t('reports.messagesIn')}</th>
          <th scope="col">{t('reports.replies')}</th>
          <th scope="col">{t('reports.firstResponses')}</th>
          <th scope="col">{t('reports.firstResponse')}</th>
          <th scope="col">{t('reports.firstResponseBusiness')}</th>
          <th scope="col">{t('reports.resolution')}</th>
          <th scope="col">{t('reports.csat')}</th>
          <th scope="col">{t('reports.openNow')}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(m) => (
            <tr data-testid="report-manager-row" data-user-id={m.userId ?? ''}>
              <th scope="row">{m.name ?? t('reports.noManager')}</th>
              <td>{m.newChats}</td>
              <td>{m.closed}</td>
              <td>{m.messagesIn}</td>
              <td>{m.replies}</td>
              <td>{m.firstResponse.count}</td>
              <td>{formatDuration(m.firstResponse.p50Ms)}</td>
              <td>{formatDuration(m.firstResponseBusiness.p50Ms)}</td>
              <td>{formatDuration(m.resolution.p50Ms)}</td>
              <td>{m.csat.average === null ? '—' : `${m.csat.average.toFixed(2)} (${m.csat.count})`}</td>
              <td>{m.openNow}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

export function CsatFigure(props: { now: ReportOverviewWire['figures']['csat'] }) {
  return (
    <div class="report-figure" data-testid="report-csat">
      <span class="report-figure-label">{t('reports.csat')}</span>
      <strong class="report-figure-value">{props.now.average === null ? '—' : props.now.average.toFixed(2)}</strong>
      <span class="muted">{t('reports.csatCount', { n: props.now.count })}</span>
    </div>
  );
}
