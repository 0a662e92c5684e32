// "Over steps": clusters and effective clusters (left axis) and loss (right, log) against step, with a step cursor;
// the active count on a chart of its own (stepCharts).
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { LayerPoint } from '../src/protocol/panel';
import { CHARTED_LABELS, stepCharts, type StepChart } from '../src/report/steps';
import { ChartFrame } from './chartFrame';
import { FIELD_LABELS, formatValue, lossNear, pointAt, type Field } from './series';
import type { PanelState } from './state';
import { attachStepPointer, placeStepCursor } from './stepPointer';
import type { Theme } from './theme';

const DASHES: number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

/** The series drawn for the current toggles. */
export function chartedFields(view: PanelState['view']): Field[] {
  return [
    'clusters',
    'effectiveClusters',
    ...(view.showStableRank ? (['stableRank'] as const) : []),
    ...(view.showActive ? (['active'] as const) : []),
  ];
}

export class OverStepsView {
  readonly element: HTMLElement;
  private frames: ChartFrame[] = [];
  private drawn?: {
    series: PanelState['series'];
    loss: PanelState['loss'];
    metrics: PanelState['metrics'];
    key: string;
    theme: Theme;
  };
  private state?: PanelState;

  constructor(private readonly onPickStep: (step: number) => void) {
    this.element = document.createElement('div');
    this.element.className = 'over-steps';
  }

  /** Rebuilds the charts when their data or options changed; otherwise only moves the cursor. */
  update(state: PanelState, theme: Theme): void {
    this.state = state;
    const v = state.view;
    const charts = stepCharts(v);
    const key = JSON.stringify([charts, v.logX, v.shownMetrics]);
    const d = this.drawn;
    const { series, loss, metrics } = state;
    if (!d || d.series !== series || d.loss !== loss || d.metrics !== metrics || d.key !== key || d.theme !== theme) {
      this.drawn = { series, loss, metrics, key, theme };
      this.layout(charts.length);
      charts.forEach((chart, i) =>
        this.frames[i].render(this.config(state, chart, theme), () =>
          placeStepCursor(this.frames[i], this.state?.view.step),
        ),
      );
    }
    for (const f of this.frames) placeStepCursor(f, v.step);
  }

  private layout(count: number): void {
    while (this.frames.length > count) this.frames.pop()?.destroy();
    while (this.frames.length < count) {
      const frame = new ChartFrame(
        'Clusters, effective clusters and loss against step; the Layers table has the figures as text',
        'steps-chart',
      );
      attachStepPointer(frame, {
        steps: () => this.state?.steps ?? [],
        hover: (step) => this.state && hoverText(this.state, step),
        pick: this.onPickStep,
      });
      this.frames.push(frame);
      this.element.append(frame.element);
    }
    this.element.classList.toggle('multiples', count > 1);
  }

  private config(state: PanelState, chart: StepChart, theme: Theme): ChartConfiguration<'line'> {
    const v = state.view;
    const keep = (x: number) => !v.logX || x > 0;
    const datasets: ChartDataset<'line'>[] = [];
    const { layers } = chart;
    layers.forEach((layer, li) => {
      for (const field of chart.fields) {
        datasets.push({
          label: layers.length === 1 ? CHARTED_LABELS[field] : `${layer} ${CHARTED_LABELS[field].toLowerCase()}`,
          data: (state.series[layer] ?? []).filter((p) => keep(p.step)).map((p) => ({ x: p.step, y: p[field] ?? NaN })),
          borderColor: theme.fields[field],
          backgroundColor: theme.fields[field],
          borderDash: DASHES[li % DASHES.length],
          borderWidth: 1.5,
          pointRadius: (state.series[layer]?.length ?? 0) > 60 ? 0 : 2,
          yAxisID: 'y',
        });
      }
    });
    const loss = chart.loss ? state.loss.filter((p) => p.loss > 0 && keep(p.step)) : [];
    if (loss.length > 0) {
      datasets.push({
        label: 'Loss',
        data: loss.map((p) => ({ x: p.step, y: p.loss })),
        borderColor: theme.fields.loss,
        backgroundColor: theme.fields.loss,
        borderWidth: 1,
        pointRadius: loss.length > 60 ? 0 : 2,
        yAxisID: 'yLoss',
      });
    }
    // The other metrics of metrics.jsonl go with the loss, on the chart that has it.
    const shownMetrics = chart.loss ? v.shownMetrics.filter((name) => (state.metrics[name]?.length ?? 0) > 0) : [];
    shownMetrics.forEach((name, i) => {
      const points = state.metrics[name].filter((p) => keep(p.step));
      datasets.push({
        label: name,
        data: points.map((p) => ({ x: p.step, y: p.value })),
        borderColor: theme.fields.loss,
        backgroundColor: theme.fields.loss,
        borderDash: DASHES[(i + 1) % DASHES.length],
        borderWidth: 1,
        pointRadius: points.length > 60 ? 0 : 2,
        yAxisID: 'yMetric',
      });
    });
    let min = Infinity;
    let max = -Infinity;
    // Every chart spans the same steps: the loss's too, on the charts without it.
    const xs = [
      ...datasets.flatMap((ds) => (ds.data as { x: number }[]).map((p) => p.x)),
      ...state.loss.filter((p) => p.loss > 0 && keep(p.step)).map((p) => p.step),
    ];
    for (const x of xs) [min, max] = [Math.min(min, x), Math.max(max, x)];
    const range = min <= max ? { min, max } : {};
    return {
      type: 'line',
      data: { datasets },
      options: {
        parsing: false,
        normalized: true,
        events: ['click'], // legend clicks only: hover is ours
        scales: {
          x: { type: v.logX ? 'logarithmic' : 'linear', ...range, title: { display: true, text: 'step' } },
          y: {
            type: 'linear',
            position: 'left',
            beginAtZero: true,
            title: { display: true, text: chart.title },
          },
          yLoss: lossAxis(loss.map((p) => p.loss)),
          yMetric: {
            type: 'linear',
            position: 'right',
            display: shownMetrics.length > 0,
            title: { display: true, text: shownMetrics.join(', ') },
            grid: { drawOnChartArea: false },
          },
        },
        plugins: {
          legend: { position: 'top', align: 'start', labels: { boxWidth: 14, boxHeight: 2 } },
          decimation: { enabled: true, algorithm: 'min-max' },
        },
      },
    };
  }
}

/** Loss on a log axis labelled at powers of ten; a loss within one decade gets a linear axis (the same picture, readable ticks). */
function lossAxis(values: number[]) {
  const [min, max] = values.reduce(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
  const common = {
    position: 'right' as const,
    display: values.length > 0,
    title: { display: true, text: 'loss' },
    grid: { drawOnChartArea: false },
  };
  if (max / min >= 10)
    return {
      ...common,
      type: 'logarithmic' as const,
      ticks: { callback: (v: number | string) => powerOfTen(Number(v)) },
    };
  return { ...common, type: 'linear' as const, ticks: { callback: (v: number | string) => formatValue(Number(v)) } };
}

/** "step 100 · fc1: clusters 2, effective clusters 2.01 · loss 0.0012" for the layers shown. */
export function hoverText(state: PanelState, step: number): string {
  const parts = [`step ${step}`];
  for (const layer of state.view.shown) {
    const p: LayerPoint | undefined = pointAt(state.series[layer], step);
    if (p)
      parts.push(
        `${layer}: ${chartedFields(state.view)
          .map((f) => `${FIELD_LABELS[f].toLowerCase()} ${formatValue(p[f])}`)
          .join(', ')}`,
      );
  }
  const loss = lossNear(state.loss, step);
  if (loss) parts.push(`loss ${formatValue(loss.loss)}${loss.step !== step ? ` (step ${loss.step})` : ''}`);
  return parts.join(' · ');
}

/** Log-axis labels at powers of ten only ("1e-3"). */
function powerOfTen(v: number): string {
  const e = Math.log10(v);
  return Math.abs(e - Math.round(e)) < 1e-9 ? v.toExponential(0) : '';
}
