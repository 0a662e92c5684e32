// The orientation figure (Fig 1 of the condensation overview) as SVG: θ against A, trajectories, legend, caption.
import { onAxis, type OrientationModel, type OrientationPoint, type OrientationStyle } from '../orientation';
import type { FigurePalette } from '../palette';
import { piTicks } from '../ticks';
import { Plot } from './axes';
import { legend } from './axes';
import { CAPTION_HEIGHT, captionSvg, type FigureCaption } from './caption';
import { el, pathData, svgDocument, text } from './svg';

export const ORIENTATION_SIZE = { width: 640, height: 460 };
const MARGIN = { left: 72, right: 20, top: CAPTION_HEIGHT + 28, bottom: 64 };
const RADIUS: Record<OrientationPoint['kind'], number> = { ghost: 2, static: 2, active: 2.8 };

/** The colour of a point or trajectory in either style. */
export function pointColour(
  kind: OrientationPoint['kind'],
  slot: number | undefined,
  style: OrientationStyle,
  p: FigurePalette,
): string {
  if (kind === 'ghost') return p.ghost;
  if (kind === 'static') return p.static;
  return style === 'paper' || slot === undefined ? p.active : p.clusters[slot % p.clusters.length];
}

export function orientationSvg(
  m: OrientationModel,
  style: OrientationStyle,
  caption: FigureCaption,
  p: FigurePalette,
): string {
  const { width, height } = ORIENTATION_SIZE;
  const noteHeight = m.note ? 16 : 0;
  const area = {
    x: MARGIN.left,
    y: MARGIN.top,
    width: width - MARGIN.left - MARGIN.right,
    height: height - MARGIN.top - MARGIN.bottom - noteHeight,
  };
  const plot = new Plot(area, { min: m.window.start, max: m.window.start + 2 * Math.PI }, m.y);
  const trajectoryColour = (slot: number | undefined) =>
    style === 'paper' ? p.trajectory : pointColour('active', slot, style, p);
  const paths = m.trajectories.flatMap((t) =>
    t.segments
      .filter((s) => s.length > 1)
      .map((s) =>
        el('path', {
          class: 'trajectory',
          'data-neuron': t.neuron,
          d: pathData(s.map(([x, y]) => [plot.px(x), plot.py(onAxis(y, m.y))])),
          fill: 'none',
          stroke: trajectoryColour(t.slot),
          'stroke-opacity': 0.35,
          'stroke-width': 0.8,
        }),
      ),
  );
  const points = m.points.map((q) =>
    el('circle', {
      class: q.kind === 'ghost' ? 'ghost' : 'neuron',
      'data-neuron': q.neuron,
      'data-kind': q.kind,
      cx: plot.px(q.x),
      cy: plot.py(onAxis(q.y, m.y)),
      r: RADIUS[q.kind],
      fill: pointColour(q.kind, q.slot, style, p),
    }),
  );
  const items = [
    ...(m.points.some((q) => q.kind === 'ghost') ? [{ label: 'first step', colour: p.ghost }] : []),
    { label: 'static', colour: p.static },
    {
      label: style === 'paper' ? 'active' : 'active (colour = cluster)',
      // A fixed swatch: cluster colours follow leaders, the legend should not change from step to step.
      colour: pointColour('active', 0, style, p),
    },
    ...(paths.length > 0
      ? [{ label: 'trajectories', colour: style === 'paper' ? p.trajectory : p.muted, line: true }]
      : []),
  ];
  return svgDocument(width, height, p.background, caption.title, [
    captionSvg(caption, MARGIN.left, p.foreground, p.muted),
    legend(MARGIN.left, MARGIN.top - 10, items, p.foreground),
    plot.axes(p, { ticks: piTicks(m.window.start), title: m.xTitle }, { ticks: plot.yTicks(), title: m.yTitle }),
    el('clipPath', { id: 'plot-area' }, el('rect', area)),
    el('g', { class: 'trajectories', 'clip-path': 'url(#plot-area)' }, ...paths),
    el('g', { class: 'points' }, ...points),
    ...(m.note ? [text(MARGIN.left, height - 8, m.note, { class: 'note', fill: p.muted })] : []),
  ]);
}
