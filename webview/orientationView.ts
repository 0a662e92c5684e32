// "Orientation": the (θ_k, A_k) scatter of one layer at one step, by cluster or in the paper's colours, with
// trajectories over the last checkpoints, a linear or log A axis, and θ shifted so no cluster is split.
import type { ChartConfiguration, ChartDataset, Scale } from 'chart.js';
import type { LayerDetail } from '../src/protocol/panel';
import {
  onAxis,
  orientationModel,
  type OrientationFrame,
  type OrientationModel,
  type OrientationOptions,
  type OrientationPoint,
} from '../src/report/orientation';
import { pointColour } from '../src/report/svg/orientation';
import { axisTicks } from '../src/report/svg/axes';
import { exponentSuffix, piTicks, tickCount, TICK_SPACING, type Ticks } from '../src/report/ticks';
import { ChartFrame } from './chartFrame';
import { formatValue } from './series';
import { themePalette, type Theme } from './theme';

/** Pointer distance (CSS px) within which a point counts as hovered. */
const HOVER_RADIUS = 6;

/** Everything the view draws from. */
export interface OrientationInput {
  detail: LayerDetail;
  options: OrientationOptions;
  inputDim?: number;
  frames: readonly OrientationFrame[];
  /** Neurons whose trajectories are drawn (empty when trajectories are off). */
  trajectoryOf: readonly number[];
  picked: ReadonlySet<number>;
}

/** "neuron 17 · θ = 0.785 · A = 0.0123 · cluster 0" (ghosts say which step they are from). */
export function neuronText(detail: LayerDetail, neuron: number, ghost: boolean, firstStep?: number): string {
  if (ghost && detail.ghost) {
    return `neuron ${neuron} at ${firstStep !== undefined ? `step ${firstStep}` : 'the first step'} · θ = ${formatValue(detail.ghost.theta[neuron])} · A = ${formatValue(detail.ghost.amplitude[neuron])}`;
  }
  const c = detail.cluster[neuron];
  return `neuron ${neuron} · θ = ${formatValue(detail.theta[neuron])} · A = ${formatValue(detail.amplitude[neuron])} · ${c < 0 ? 'inactive' : `cluster ${c}`}`;
}

/** Puts our ticks on a chart.js axis and labels them from the same list. */
function fixedTicks(t: Ticks) {
  return {
    afterBuildTicks: (axis: Scale) => {
      axis.ticks = t.values.map((value) => ({ value }));
    },
    ticks: {
      autoSkip: false,
      maxRotation: 0,
      callback: (v: number | string) =>
        t.labels[t.values.findIndex((x) => Math.abs(x - Number(v)) <= 1e-9 * Math.max(1, Math.abs(x)))] ?? '',
    },
  };
}

export class OrientationView {
  readonly element: HTMLElement;
  private readonly frame = new ChartFrame(
    'Orientation θ against amplitude A of each neuron at the selected step',
    'orientation-chart',
  );
  private readonly note = document.createElement('p');
  private readonly dimNote = document.createElement('p');
  private points: OrientationPoint[] = [];
  private drawn?: { input: OrientationInput; theme: Theme; frames: number };
  private model?: OrientationModel;
  private detail?: LayerDetail;
  private firstStep?: number;

  constructor(private readonly onPick: (neuron: number | undefined) => void) {
    this.element = document.createElement('div');
    this.element.className = 'orientation';
    this.note.className = 'note';
    this.dimNote.className = 'note dim-note';
    this.element.append(this.note, this.frame.element, this.dimNote);
    this.frame.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.frame.canvas.addEventListener('click', (e) => this.click(e));
  }

  /** Draws `input` (skipped when nothing changed). */
  update(input: OrientationInput | undefined, theme: Theme, firstStep: number | undefined, note: string): void {
    this.note.textContent = note;
    this.firstStep = firstStep;
    if (!input) return;
    const d = this.drawn;
    if (
      d &&
      d.theme === theme &&
      d.frames === input.frames.length &&
      JSON.stringify([d.input.options, d.input.trajectoryOf, [...d.input.picked]]) ===
        JSON.stringify([input.options, input.trajectoryOf, [...input.picked]]) &&
      d.input.detail === input.detail
    )
      return;
    this.drawn = { input, theme, frames: input.frames.length };
    const { detail, options } = input;
    this.detail = detail;
    const palette = themePalette(theme);
    const m = orientationModel(
      detail,
      options,
      input.inputDim,
      palette.clusters.length,
      input.frames,
      input.trajectoryOf,
    );
    this.model = m;
    this.dimNote.textContent = m.note ?? '';
    this.dimNote.hidden = !m.note;
    Object.assign(this.element.dataset, {
      layer: detail.layer,
      step: String(detail.step),
      style: options.style,
      thetaStart: String(m.window.start),
      trajectories: String(m.trajectories.length),
    });
    // Current points before ghosts, so a hover prefers them.
    this.points = [...m.points].reverse();
    const of = (kind: OrientationPoint['kind']) => m.points.filter((p) => p.kind === kind);
    const xy = (p: OrientationPoint) => ({ x: p.x, y: onAxis(p.y, m.y), neuron: p.neuron });
    const active = of('active');
    const colourOf = (slot: number | undefined) =>
      options.style === 'paper' ? palette.trajectory : pointColour('active', slot, options.style, palette);
    // One line dataset per colour, its neurons separated by NaN gaps.
    const byColour = new Map<string, { x: number; y: number }[]>();
    for (const t of m.trajectories)
      for (const seg of t.segments) {
        const list = byColour.get(colourOf(t.slot)) ?? [];
        list.push(...seg.map(([x, y]) => ({ x, y: onAxis(y, m.y) })), { x: NaN, y: NaN });
        byColour.set(colourOf(t.slot), list);
      }
    const trajectoryDatasets: ChartDataset<'line', { x: number; y: number }[]>[] = [...byColour].map(
      ([colour, data], i) => ({
        type: 'line',
        label: i === 0 ? 'trajectories' : '',
        data,
        borderColor: colour.replace(/^rgb\((.*)\)$/, 'rgba($1, 0.35)'),
        // The legend swatch: blue in the paper style, neutral when lines take their cluster's colour.
        backgroundColor: options.style === 'paper' ? colour : theme.muted,
        borderWidth: 1,
        pointRadius: 0,
        spanGaps: false,
        order: 10,
      }),
    );
    const height = Math.max(120, this.frame.canvas.clientHeight - 90);
    const yTicks = axisTicks(m.y, tickCount(height, TICK_SPACING.vertical));
    const config: ChartConfiguration<'scatter', { x: number; y: number; neuron?: number }[]> = {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: 'first step',
            data: of('ghost').map(xy),
            backgroundColor: theme.ghost,
            pointBackgroundColor: theme.ghost,
            pointBorderWidth: 0,
            pointRadius: 2.5,
          },
          {
            label: 'static',
            data: of('static').map(xy),
            backgroundColor: theme.inactive,
            pointBackgroundColor: theme.inactive,
            pointBorderWidth: 0,
            pointRadius: 2.5,
          },
          {
            label: options.style === 'paper' ? 'active' : 'active (color = cluster)',
            data: active.map(xy),
            // A fixed legend swatch: cluster colours follow their leaders, the legend does not.
            backgroundColor: pointColour('active', 0, options.style, palette),
            pointBackgroundColor: active.map((p) => pointColour('active', p.slot, options.style, palette)),
            pointBorderColor: theme.foreground,
            pointBorderWidth: active.map((p) => (input.picked.has(p.neuron) ? 1.5 : 0)),
            pointRadius: active.map((p) => (input.picked.has(p.neuron) ? 4.5 : 3)),
          },
          ...(trajectoryDatasets as unknown as ChartDataset<'scatter', { x: number; y: number }[]>[]),
        ],
      },
      options: {
        parsing: false,
        events: ['click'],
        scales: {
          x: {
            type: 'linear',
            min: m.window.start,
            max: m.window.start + 2 * Math.PI,
            ...fixedTicks(piTicks(m.window.start)),
            title: { display: true, text: m.xTitle },
          },
          y: {
            type: m.y.log ? 'logarithmic' : 'linear',
            min: m.y.min,
            max: m.y.max,
            ...fixedTicks(yTicks),
            title: { display: true, text: m.yTitle + exponentSuffix(yTicks) },
          },
        },
        plugins: {
          legend: {
            position: 'top',
            align: 'start',
            labels: { boxWidth: 8, boxHeight: 8, filter: (item) => item.text !== '' },
          },
        },
      },
    };
    this.frame.render(config as unknown as ChartConfiguration, () => undefined);
  }

  private nearest(e: MouseEvent): OrientationPoint | undefined {
    const chart = this.frame.chart;
    const m = this.model;
    if (!chart || !m) return undefined;
    const { x: sx, y: sy } = chart.scales;
    const hidden = new Set(chart.data.datasets.map((_, i) => i).filter((i) => !chart.isDatasetVisible(i)));
    const datasetOf: Record<OrientationPoint['kind'], number> = { ghost: 0, static: 1, active: 2 };
    let best: OrientationPoint | undefined;
    let bestD = HOVER_RADIUS * HOVER_RADIUS;
    for (const p of this.points) {
      if (hidden.has(datasetOf[p.kind])) continue;
      const dx = sx.getPixelForValue(p.x) - e.offsetX;
      const dy = sy.getPixelForValue(onAxis(p.y, m.y)) - e.offsetY;
      const d = dx * dx + dy * dy;
      if (d < bestD) [best, bestD] = [p, d];
    }
    return best;
  }

  private hover(e: MouseEvent): void {
    const best = this.nearest(e);
    if (best && this.detail)
      this.frame.showHover(neuronText(this.detail, best.neuron, best.kind === 'ghost', this.firstStep), e);
    else this.frame.hideHover();
  }

  /** A click on a current point picks (or unpicks) its neuron; a click on empty plot clears the picks. */
  private click(e: MouseEvent): void {
    const area = this.frame.chart?.chartArea;
    if (!area || e.offsetX < area.left || e.offsetX > area.right || e.offsetY < area.top || e.offsetY > area.bottom)
      return;
    const best = this.nearest(e);
    this.onPick(best && best.kind !== 'ghost' ? best.neuron : undefined);
  }
}
