// Compare: the orientation or similarity view of every run side by side, for the same layer and step (each run at
// its own checkpoint nearest that step), each analysed with its own run's settings.
import type { LayerDetail } from '../src/protocol/panel';
import { runLabels } from '../src/protocol/runLabels';
import { activeOnlyByDefault } from '../src/report/similarity';
import { runStep } from './compare';
import { runColour } from './compareCharts';
import type { DetailLoader } from './detailLoader';
import { HeatmapView } from './heatmapView';
import { OrientationView } from './orientationView';
import type { PanelState, RunData } from './state';
import type { Theme } from './theme';

type Kind = 'orientation' | 'similarity';

interface Cell {
  element: HTMLElement;
  caption: HTMLElement;
  draw(run: RunData, detail: LayerDetail | undefined, note: string, state: PanelState, theme: Theme): void;
}

function cell(kind: Kind): Cell {
  const element = document.createElement('figure');
  element.className = 'compare-cell';
  const caption = document.createElement('figcaption');
  if (kind === 'orientation') {
    const view = new OrientationView(() => undefined);
    element.append(caption, view.element);
    return {
      element,
      caption,
      draw: (run, detail, note, state, theme) => {
        const v = state.view;
        view.update(
          detail && {
            detail,
            options: { style: v.orientationStyle, logA: v.logA, normalise: v.normaliseA },
            inputDim: run.series[detail.layer]?.find((p) => p.step === detail.step)?.inputDim,
            frames: [],
            trajectoryOf: [],
            picked: new Set(),
          },
          theme,
          run.steps[0],
          note,
        );
      },
    };
  }
  const view = new HeatmapView();
  element.append(caption, view.element);
  return {
    element,
    caption,
    draw: (_run, detail, note, state, theme) => {
      const activeOnly = detail ? (state.view.activeOnly ?? activeOnlyByDefault(detail.cluster)) : false;
      view.update(detail, state.view.rawOrder, activeOnly, theme, note);
    },
  };
}

export class SideBySide {
  readonly element = document.createElement('div');
  private readonly cells = new Map<string, Cell>();

  constructor(private readonly kind: Kind) {
    this.element.className = `side-by-side ${kind}-compare`;
  }

  update(state: PanelState, theme: Theme, loaderOf: (run: string) => DetailLoader): void {
    const ids = state.compared.map((r) => r.run.id);
    for (const [id, c] of this.cells)
      if (!ids.includes(id)) {
        c.element.remove();
        this.cells.delete(id);
      }
    const labels = runLabels(state.compared.map((r) => r.run));
    const layer = state.view.layer;
    state.compared.forEach((run, i) => {
      let c = this.cells.get(run.run.id);
      if (!c) {
        c = cell(this.kind);
        c.element.dataset.run = run.run.id;
        this.cells.set(run.run.id, c);
      }
      // Kept in run order.
      this.element.append(c.element);
      const step = runStep(run, state.view.step);
      const { threshold, similarity } = run.settings;
      c.caption.replaceChildren(
        Object.assign(document.createElement('span'), { className: 'swatch' }),
        Object.assign(document.createElement('span'), { className: 'run-label', textContent: labels[i] }),
        Object.assign(document.createElement('span'), {
          className: 'run-facts',
          textContent: ` · step ${step ?? '–'} · τ = ${threshold} · ${similarity}`,
        }),
      );
      (c.caption.firstElementChild as HTMLElement).style.background = runColour(theme, i);
      const { detail, note } = this.detailOf(run, layer, step, loaderOf(run.run.id));
      c.draw(run, detail, note, state, theme);
    });
  }

  private detailOf(
    run: RunData,
    layer: string | undefined,
    step: number | undefined,
    loader: DetailLoader,
  ): { detail?: LayerDetail; note: string } {
    if (layer === undefined || step === undefined) return { note: run.run.noLayers ?? 'No checkpoint analysed yet.' };
    if (!run.layers.includes(layer)) return { note: `This run has no layer ${layer}.` };
    loader.want(layer, step);
    const detail = loader.get(layer, step);
    if (detail) return { detail, note: `${layer} at step ${step}.` };
    return { note: loader.error(layer, step) ?? `Loading ${layer} at step ${step}…` };
  }
}
