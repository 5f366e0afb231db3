/**
 * Reports (admins and employees): a period (presets or custom days, in the viewer's time zone), filters
 * by bot, channel and manager, headline figures with the change against the period before, charts per
 * day (uPlot, loaded only here), a per-manager table, and the same as CSV. Filters live in the URL.
 */
import { useSearchParams } from '@solidjs/router';
import { createMemo, createResource, For, Show } from 'solid-js';
import { reports } from '../../api/reports';
import { Loaded } from '../../components/states';
import { t } from '../../i18n';
import './strings';
import { activeUsers, integrations } from '../../state/session';
import { CountFigure, CsatFigure, DurationFigure, ManagerTable } from './report-parts';
import { ReportChart } from './report-chart';

type Params = { preset?: string; from?: string; to?: string; integrationId?: string; channel?: string; userId?: string };
const presets = ['7', '30', '90', 'month', 'lastMonth', 'custom'] as const;

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
/** A local calendar date as YYYY-MM-DD. */
const ymd = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The days a preset covers, ending today in the viewer's calendar. */
function presetRange(preset: string): { from: string; to: string } {
  const today = new Date();
  const daysAgo = (n: number) => ymd(new Date(today.getFullYear(), today.getMonth(), today.getDate() - n));
  if (preset === 'month') return { from: ymd(new Date(today.getFullYear(), today.getMonth(), 1)), to: ymd(today) };
  if (preset === 'lastMonth') return { from: ymd(new Date(today.getFullYear(), today.getMonth() - 1, 1)), to: ymd(new Date(today.getFullYear(), today.getMonth(), 0)) };
  const n = Number(preset) || 30;
  return { from: daysAgo(n - 1), to: ymd(today) };
}

export default function ReportsPage() {
  const [params, setParams] = useSearchParams<Params>();
  const preset = () => params.preset ?? '30';
  const query = createMemo(() => {
    const range = preset() === 'custom' && params.from && params.to ? { from: params.from, to: params.to } : presetRange(preset());
    return { ...range, tz: zone, integrationId: params.integrationId, channel: params.channel, userId: params.userId };
  });
  const [report, { refetch }] = createResource(query, (q) => reports.overview(q));
  const setFilter = (k: keyof Params, v: string) => setParams({ [k]: v || undefined }, { replace: true });
  const choosePreset = (p: string) => setParams(p === 'custom' ? { preset: p, from: query().from, to: query().to } : { preset: p, from: undefined, to: undefined }, { replace: true });
  const channels = createMemo(() => [...new Set(integrations().map((i) => i.channel))]);

  return (
    <section class="page reports-page" data-testid="reports-page">
      <h1>{t('reports.title')}</h1>
      <div class="filters report-filters">
        <label class="field"><span>{t('reports.period')}</span>
          <select value={preset()} onChange={(e) => choosePreset(e.currentTarget.value)} data-testid="report-preset">
            <For each={presets}>{(p) => <option value={p} selected={p === preset()}>{t(`reports.preset.${p}`)}</option>}</For>
          </select>
        </label>
        <Show when={preset() === 'custom'}>
          <label class="field"><span>{t('reports.from')}</span><input type="date" value={query().from} max={query().to} onChange={(e) => setFilter('from', e.currentTarget.value)} data-testid="report-from" /></label>
          <label class="field"><span>{t('reports.to')}</span><input type="date" value={query().to} min={query().from} onChange={(e) => setFilter('to', e.currentTarget.value)} data-testid="report-to" /></label>
        </Show>
        <label class="field"><span>{t('reports.integration')}</span>
          <select value={params.integrationId ?? ''} onChange={(e) => setFilter('integrationId', e.currentTarget.value)} data-testid="report-integration">
            <option value="">{t('reports.any')}</option>
            <For each={integrations()}>{(i) => <option value={i.id} selected={i.id === params.integrationId}>{i.name}</option>}</For>
          </select>
        </label>
        <label class="field"><span>{t('reports.channel')}</span>
          <select value={params.channel ?? ''} onChange={(e) => setFilter('channel', e.currentTarget.value)} data-testid="report-channel">
            <option value="">{t('reports.any')}</option>
            <For each={channels()}>{(c) => <option value={c} selected={c === params.channel}>{c}</option>}</For>
          </select>
        </label>
        <label class="field"><span>{t('reports.manager')}</span>
          <select value={params.userId ?? ''} onChange={(e) => setFilter('userId', e.currentTarget.value)} data-testid="report-manager">
            <option value="">{t('reports.any')}</option>
            <For each={activeUsers().filter((u) => u.role !== 'observer')}>{(u) => <option value={u.id} selected={u.id === params.userId}>{u.name}</option>}</For>
          </select>
        </label>
        <div class="filters-actions">
          <a class="btn" href={reports.csvUrl(query())} download="" data-testid="report-export">{t('reports.export')}</a>
        </div>
      </div>
      <Loaded resource={report} retry={refetch}>
        <Show when={report()}>
          {(r) => (
            <>
              <p class="muted" data-testid="report-range">{t('reports.zone', { tz: r().range.tz, from: r().range.previousFrom, to: r().range.previousTo })}</p>
              <div class="report-figures" data-testid="report-figures">
                <CountFigure label="reports.newChats" now={r().figures.newChats} before={r().previous.newChats} testId="report-new-chats" />
                <CountFigure label="reports.reopened" now={r().figures.reopened} before={r().previous.reopened} testId="report-reopened" />
                <CountFigure label="reports.closed" now={r().figures.closed} before={r().previous.closed} testId="report-closed" />
                <CountFigure label="reports.messagesIn" now={r().figures.messagesIn} before={r().previous.messagesIn} testId="report-messages-in" />
                <CountFigure label="reports.messagesOut" now={r().figures.messagesOut} before={r().previous.messagesOut} testId="report-messages-out" />
                <DurationFigure label="reports.firstResponse" now={r().figures.firstResponse} before={r().previous.firstResponse} testId="report-first-response" />
                {/* Both clocks side by side: equal for a bot without business hours. */}
                <DurationFigure label="reports.firstResponseBusiness" now={r().figures.firstResponseBusiness} before={r().previous.firstResponseBusiness} testId="report-first-response-business" />
                <DurationFigure label="reports.resolution" now={r().figures.resolution} before={r().previous.resolution} testId="report-resolution" />
                <DurationFigure label="reports.wait" now={r().figures.unassignedWait} before={r().previous.unassignedWait} testId="report-wait" />
                <div class="report-figure" data-testid="report-open-now">
                  <span class="report-figure-label">{t('reports.openNow')}</span>
                  <strong class="report-figure-value">{r().figures.openNow}</strong>
                </div>
                <CsatFigure now={r().figures.csat} />
              </div>
              <div class="report-charts">
                <ReportChart testId="report-chart-volume" title={t('reports.volume')} days={r().series.days} series={[
                  { label: t('reports.newChats'), values: r().series.newChats, color: '#2563eb' },
                  { label: t('reports.closed'), values: r().series.closed, color: '#16a34a' },
                  { label: t('reports.messagesIn'), values: r().series.messagesIn, color: '#d97706' },
                ]} />
                <ReportChart testId="report-chart-speed" title={t('reports.speed')} days={r().series.days} series={[
                  { label: t('reports.firstResponse'), values: r().series.firstResponseAvgMs.map((v) => (v === null ? null : Math.round(v / 600) / 100)), color: '#7c3aed' },
                  { label: t('reports.firstResponseBusiness'), values: r().series.firstResponseBusinessAvgMs.map((v) => (v === null ? null : Math.round(v / 600) / 100)), color: '#db2777' },
                ]} />
              </div>
              <h2>{t('reports.managers')}</h2>
              <Show when={r().managers.length > 0} fallback={<p class="state">{t('reports.empty')}</p>}>
                <ManagerTable rows={r().managers} />
              </Show>
            </>
          )}
        </Show>
      </Loaded>
    </section>
  );
}
