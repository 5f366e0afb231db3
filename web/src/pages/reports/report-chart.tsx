/**
 * A line chart of per-day values with uPlot. uPlot and its CSS are imported here, dynamically, so they
 * load only when the reports route draws a chart (the inbox's JS budget never sees them).
 */
import { createEffect, createSignal, onCleanup, Show } from 'solid-js';
import type uPlotType from 'uplot';
import { t } from '../../i18n';
import './strings';

export interface ChartSeries { label: string; values: (number | null)[]; color: string }

let loaded: Promise<typeof uPlotType> | undefined;
const loadUplot = () => (loaded ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default));

export function ReportChart(props: { days: string[]; series: ChartSeries[]; testId: string; title: string }) {
  let box!: HTMLDivElement;
  const [ready, setReady] = createSignal(false);
  let plot: uPlotType | undefined;
  onCleanup(() => plot?.destroy());

  createEffect(() => {
    // Read the props inside the effect: a new report draws a new chart.
    const days = props.days;
    const series = props.series;
    void loadUplot().then((UPlot) => {
      plot?.destroy();
      // x: each local day's noon (UTC seconds), so labels show the day whatever the offset.
      const xs = days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000);
      const width = Math.max(320, box.clientWidth || 640);
      plot = new UPlot({
        width, height: 220, tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), 'UTC'),
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: true }))],
        axes: [{}, { size: 48 }],
        scales: { x: { time: true } },
      }, [xs, ...series.map((s) => s.values)] as uPlotType.AlignedData, box);
      setReady(true);
    });
  });

  return (
    <figure class="report-chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <Show when={!ready()}><p class="muted">{t('reports.chartLoading')}</p></Show>
      <div ref={box} data-testid={`${props.testId}-canvas`} data-ready={ready() ? 'true' : 'false'} />
    </figure>
  );
}
