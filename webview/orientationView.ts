// "Orientation": the (θ_k, A_k) scatter of one layer at one step; active neurons colored by cluster.
import type { ChartConfiguration } from 'chart.js';
import type { LayerDetail } from '../src/protocol/panel';
import { ChartFrame } from './chartFrame';
import { rgbCss } from '../src/report/colormap';
import { formatValue } from './series';
import type { Theme } from './theme';

/** Pointer distance (CSS px) within which a point counts as hovered. */
const HOVER_RADIUS = 6;

interface Plotted {
  x: number;
  y: number;
  neuron: number;
  ghost: boolean;
}

/** The plotted points: ghosts (first step), inactive, then active; A divided by its maximum when normalising. */
export function orientationPoints(
  detail: LayerDetail,
  normalise: boolean,
): { ghost: Plotted[]; inactive: Plotted[]; active: Plotted[] } {
  const scale = (a: number[]) => {
    const max = a.reduce((m, v) => Math.max(m, v), 0);
    return normalise && max > 0 ? 1 / max : 1;
  };
  const s = scale(detail.amplitude);
  const ghost: Plotted[] = [];
  if (detail.ghost) {
    const g = scale(detail.ghost.amplitude);
    detail.ghost.theta.forEach((t, k) =>
      ghost.push({ x: t, y: detail.ghost!.amplitude[k] * g, neuron: k, ghost: true }),
    );
  }
  const inactive: Plotted[] = [];
  const active: Plotted[] = [];
  detail.theta.forEach((t, k) =>
    (detail.cluster[k] < 0 ? inactive : active).push({ x: t, y: detail.amplitude[k] * s, neuron: k, ghost: false }),
  );
  return { ghost, inactive, active };
}

/** "neuron 17 · θ = 0.785 · A = 0.0123 · cluster 0" (ghosts say which step they are from). */
export function neuronText(detail: LayerDetail, neuron: number, ghost: boolean, firstStep?: number): string {
  if (ghost && detail.ghost) {
    return `neuron ${neuron} at ${firstStep !== undefined ? `step ${firstStep}` : 'the first step'} · θ = ${formatValue(detail.ghost.theta[neuron])} · A = ${formatValue(detail.ghost.amplitude[neuron])}`;
  }
  const c = detail.cluster[neuron];
  return `neuron ${neuron} · θ = ${formatValue(detail.theta[neuron])} · A = ${formatValue(detail.amplitude[neuron])} · ${c < 0 ? 'inactive' : `cluster ${c}`}`;
}

export class OrientationView {
  readonly element: HTMLElement;
  private readonly frame = new ChartFrame(
    'Orientation θ against amplitude A of each neuron at the selected step',
    'orientation-chart',
  );
  private readonly note = document.createElement('p');
  private points: Plotted[] = [];
  private drawn?: { detail: LayerDetail; normalise: boolean; theme: Theme };
  private detail?: LayerDetail;
  private firstStep?: number;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'orientation';
    this.note.className = 'note';
    this.element.append(this.note, this.frame.element);
    this.frame.canvas.addEventListener('mousemove', (e) => this.hover(e));
  }

  /** Draws `detail` (skipped when nothing changed). */
  update(
    detail: LayerDetail | undefined,
    normalise: boolean,
    theme: Theme,
    firstStep: number | undefined,
    note: string,
  ): void {
    this.note.textContent = note;
    this.firstStep = firstStep;
    if (!detail) return;
    const d = this.drawn;
    if (d && d.detail === detail && d.normalise === normalise && d.theme === theme) return;
    this.drawn = { detail, normalise, theme };
    this.detail = detail;
    Object.assign(this.element.dataset, { layer: detail.layer, step: String(detail.step) });
    const { ghost, inactive, active } = orientationPoints(detail, normalise);
    // Current points before ghosts, so a hover prefers them.
    this.points = [...active, ...inactive, ...ghost];
    const top = this.points.reduce((m, p) => Math.max(m, p.y), 0) * 1.05 || 1;
    const config: ChartConfiguration<'scatter', Plotted[]> = {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: 'first step',
            data: ghost,
            pointBackgroundColor: theme.ghost,
            pointBorderWidth: 0,
            pointRadius: 2.5,
          },
          {
            label: 'static',
            data: inactive,
            pointBackgroundColor: theme.inactive,
            pointBorderWidth: 0,
            pointRadius: 2.5,
          },
          {
            label: 'active (color = cluster)',
            data: active,
            pointBackgroundColor: active.map((p) => theme.clusters[detail.cluster[p.neuron] % theme.clusters.length]),
            pointBorderWidth: 0,
            pointRadius: 3,
          },
        ],
      },
      options: {
        parsing: false,
        events: ['click'],
        scales: {
          x: {
            type: 'linear',
            min: -Math.PI,
            max: Math.PI,
            ticks: { stepSize: Math.PI / 2, callback: (v) => piLabel(Number(v)) },
            title: { display: true, text: 'θ (orientation)' },
          },
          y: {
            type: 'linear',
            min: 0,
            max: top,
            title: { display: true, text: normalise ? 'A / max A' : 'A (amplitude)' },
          },
        },
        plugins: { legend: { position: 'top', align: 'start', labels: { boxWidth: 8, boxHeight: 8 } } },
      },
    };
    this.frame.render(config as unknown as ChartConfiguration, () => undefined);
  }

  toPng(theme: Theme): string {
    return this.frame.toPng(rgbCss(theme.background));
  }

  private hover(e: MouseEvent): void {
    const chart = this.frame.chart;
    const detail = this.detail;
    if (!chart || !detail) return;
    const { x: sx, y: sy } = chart.scales;
    const hidden = new Set(chart.data.datasets.map((_, i) => i).filter((i) => !chart.isDatasetVisible(i)));
    let best: Plotted | undefined;
    let bestD = HOVER_RADIUS * HOVER_RADIUS;
    for (const p of this.points) {
      if (hidden.has(p.ghost ? 0 : detail.cluster[p.neuron] < 0 ? 1 : 2)) continue;
      const dx = sx.getPixelForValue(p.x) - e.offsetX;
      const dy = sy.getPixelForValue(p.y) - e.offsetY;
      const d = dx * dx + dy * dy;
      if (d < bestD) [best, bestD] = [p, d];
    }
    if (best) this.frame.showHover(neuronText(detail, best.neuron, best.ghost, this.firstStep), e);
    else this.frame.hideHover();
  }
}

function piLabel(v: number): string {
  const k = Math.round((v / Math.PI) * 2);
  return ['−π', '−π/2', '0', 'π/2', 'π'][k + 2] ?? v.toFixed(2);
}
