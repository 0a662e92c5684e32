// The visible tab as a figure for a paper: the shared SVG builders on a white page, and PNG rasterised from that SVG.
import type { LayerDetail } from '../src/protocol/panel';
import { orientationModel, type OrientationFrame } from '../src/report/orientation';
import { PAPER_PALETTE } from '../src/report/palette';
import { EXPORT_MAX_CELLS, similarityModel } from '../src/report/similarity';
import { stepCharts } from '../src/report/steps';
import type { FigureCaption } from '../src/report/svg/caption';
import { orientationSvg } from '../src/report/svg/orientation';
import { similaritySvg } from '../src/report/svg/similarity';
import { stepsSvg } from '../src/report/svg/steps';
import { compareStepsSvg } from './compareExport';
import type { PanelState } from './state';

/** What the orientation and similarity figures are drawn from, as the panel shows them. */
export interface FigureDetail {
  detail: LayerDetail;
  activeOnly: boolean;
  frames: readonly OrientationFrame[];
  trajectoryOf: readonly number[];
}

const TITLES = {
  overSteps: 'Condensation over training steps',
  orientation: 'Orientation θ and amplitude A of each neuron',
  similarity: 'Cosine similarity between neurons',
} as const;

/** The SVG of the visible tab; an error a user can act on while its data is still loading. */
export function figureSvg(state: PanelState, shown: FigureDetail | undefined): string {
  const v = state.view;
  // A comparison's Over steps tab is its overlaid charts; its other tabs export the Run picker's run.
  if (state.compared.length > 1 && v.tab === 'overSteps') return compareStepsSvg(state);
  const settings = state.settings;
  const caption: FigureCaption = {
    title: TITLES[v.tab],
    run: state.run?.name ?? 'run',
    threshold: settings?.threshold ?? 0.95,
    similarity: settings?.similarity ?? 'signed',
    ...(v.tab === 'overSteps' ? (v.shown.length === 1 ? { layer: v.shown[0] } : {}) : { layer: v.layer, step: v.step }),
  };
  if (v.tab === 'overSteps')
    return stepsSvg(
      { charts: stepCharts(v), series: state.series, loss: state.loss, logX: v.logX },
      caption,
      PAPER_PALETTE,
    );
  if (!shown)
    throw new Error(
      `Nothing to export yet: the ${v.tab} of ${v.layer ?? 'the layer'} at step ${v.step ?? '–'} is loading.`,
    );
  const { detail } = shown;
  if (v.tab === 'similarity') {
    const model = similarityModel(detail.heatmap, detail.cluster, shown.activeOnly && !v.rawOrder, EXPORT_MAX_CELLS);
    return similaritySvg(model, detail.heatmap.similarity, caption, PAPER_PALETTE);
  }
  const inputDim = state.series[detail.layer]?.find((p) => p.step === detail.step)?.inputDim;
  const options = { style: v.orientationStyle, logA: v.logA, normalise: v.normaliseA };
  const model = orientationModel(
    detail,
    options,
    inputDim,
    PAPER_PALETTE.clusters.length,
    shown.frames,
    shown.trajectoryOf,
  );
  return orientationSvg(model, v.orientationStyle, caption, PAPER_PALETTE);
}

/** A PNG data URL of `svg` at `scale` pixels per SVG unit, drawn by the browser. */
export async function svgToPng(svg: string, scale: number): Promise<string> {
  const size = /<svg[^>]* width="([\d.]+)" height="([\d.]+)"/.exec(svg);
  if (!size) throw new Error('PNG export: the figure has no size.');
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(Number(size[1]) * scale);
  canvas.height = Math.round(Number(size[2]) * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('PNG export: this webview cannot draw on a canvas.');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png');
}
