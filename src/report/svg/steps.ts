// The "over steps" figure as SVG: a chart per group of series (stepCharts) sharing the step axis, then loss on a log axis.
import type { LayerPoint } from '../../protocol/panel';
import type { FigurePalette } from '../palette';
import { CHARTED_LABELS, type StepChart } from '../steps';
import { logTicks } from '../ticks';
import { legend, Plot, type Scale } from './axes';
import { CAPTION_HEIGHT, captionSvg, type FigureCaption } from './caption';
import { el, pathData, svgDocument } from './svg';

const WIDTH = 640;
const CHART_HEIGHT = 170;
const MARGIN = { left: 72, right: 36, top: CAPTION_HEIGHT + 8, gap: 64 };
const DASHES = ['', '6 3', '2 2', '8 3 2 3'];

export interface StepsFigureData {
  charts: StepChart[];
  series: Record<string, readonly LayerPoint[]>;
  loss: readonly { step: number; loss: number }[];
  logX: boolean;
}

function range(values: number[]): { min: number; max: number } {
  const min = values.reduce((m, v) => Math.min(m, v), Infinity);
  const max = values.reduce((m, v) => Math.max(m, v), -Infinity);
  return min <= max ? { min, max: max > min ? max : min + 1 } : { min: 0, max: 1 };
}

export function stepsSvg(d: StepsFigureData, caption: FigureCaption, p: FigurePalette): string {
  const keep = (x: number) => !d.logX || x > 0;
  const loss = d.loss.filter((q) => q.loss > 0 && keep(q.step));
  const steps = [...Object.values(d.series).flatMap((s) => s.map((q) => q.step)), ...loss.map((q) => q.step)].filter(
    keep,
  );
  const x: Scale = { ...range(steps), log: d.logX };
  const rows = d.charts.length + (loss.length > 0 ? 1 : 0);
  const height = MARGIN.top + rows * (CHART_HEIGHT + MARGIN.gap);
  const body: string[] = [captionSvg(caption, MARGIN.left, p.foreground, p.muted)];
  const areaAt = (i: number) => ({
    x: MARGIN.left,
    y: MARGIN.top + 24 + i * (CHART_HEIGHT + MARGIN.gap),
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: CHART_HEIGHT - 24,
  });
  d.charts.forEach((chart, i) => {
    const lines = chart.layers.flatMap((layer, li) =>
      chart.fields.map((field) => ({
        label: chart.layers.length > 1 ? `${layer} ${CHARTED_LABELS[field].toLowerCase()}` : CHARTED_LABELS[field],
        colour: p.series[field],
        dash: DASHES[li % DASHES.length],
        points: (d.series[layer] ?? [])
          .filter((q) => keep(q.step))
          .map((q) => [q.step, q[field] ?? NaN] as [number, number]),
      })),
    );
    const top = range(lines.flatMap((l) => l.points.map((q) => q[1])).filter(Number.isFinite)).max;
    const plot = new Plot(areaAt(i), x, { min: 0, max: top * 1.05 || 1 });
    body.push(
      el(
        'g',
        { class: 'chart', 'data-title': chart.title },
        legend(
          MARGIN.left,
          plot.area.y - 8,
          lines.map((l) => ({ label: l.label, colour: l.colour, line: true })),
          p.foreground,
        ),
        plot.axes(p, { ticks: plot.xTicks(), title: 'step' }, { ticks: plot.yTicks(), title: chart.title }),
        ...lines.map((l) =>
          el('path', {
            class: 'series',
            'data-label': l.label,
            d: pathData(l.points.filter((q) => Number.isFinite(q[1])).map(([sx, sy]) => [plot.px(sx), plot.py(sy)])),
            fill: 'none',
            stroke: l.colour,
            'stroke-width': 1.5,
            'stroke-dasharray': l.dash || undefined,
          }),
        ),
      ),
    );
  });
  if (loss.length > 0) {
    const { min, max } = range(loss.map((q) => q.loss));
    const y: Scale = { min: min / 1.2, max: max * 1.2, log: true };
    const plot = new Plot(areaAt(d.charts.length), x, y);
    body.push(
      el(
        'g',
        { class: 'chart', 'data-title': 'loss' },
        plot.axes(
          p,
          { ticks: plot.xTicks(), title: 'step' },
          { ticks: logTicks(y.min, y.max), title: 'loss, log scale' },
        ),
        el('path', {
          class: 'series',
          'data-label': 'Loss',
          d: pathData(loss.map((q) => [plot.px(q.step), plot.py(q.loss)])),
          fill: 'none',
          stroke: p.series.loss,
          'stroke-width': 1.2,
        }),
      ),
    );
  }
  return svgDocument(WIDTH, height, p.background, caption.title, body);
}
