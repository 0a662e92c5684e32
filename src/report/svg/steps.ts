// The "over steps" figure as SVG: a chart per group of series (stepCharts) sharing the step axis, then loss on a log axis.
import type { LayerPoint } from '../../protocol/panel';
import type { FigurePalette } from '../palette';
import { CHARTED_LABELS, type StepChart } from '../steps';
import { captionLine, type FigureCaption } from './caption';
import { lineChartsSvg, type SvgLineChart } from './lineCharts';

const DASHES = ['', '6 3', '2 2', '8 3 2 3'];

export interface StepsFigureData {
  charts: StepChart[];
  series: Record<string, readonly LayerPoint[]>;
  loss: readonly { step: number; loss: number }[];
  logX: boolean;
}

export function stepsSvg(d: StepsFigureData, caption: FigureCaption, p: FigurePalette): string {
  const keep = (x: number) => !d.logX || x > 0;
  const loss = d.loss.filter((q) => q.loss > 0 && keep(q.step));
  const steps = [...Object.values(d.series).flatMap((s) => s.map((q) => q.step)), ...loss.map((q) => q.step)].filter(
    keep,
  );
  const charts: SvgLineChart[] = d.charts.map((chart) => ({
    name: chart.title,
    yTitle: chart.title,
    y: 'zero',
    legend: true,
    lines: chart.layers.flatMap((layer, li) =>
      chart.fields.map((field) => ({
        label: chart.layers.length > 1 ? `${layer} ${CHARTED_LABELS[field].toLowerCase()}` : CHARTED_LABELS[field],
        colour: p.series[field],
        dash: DASHES[li % DASHES.length],
        points: (d.series[layer] ?? [])
          .filter((q) => keep(q.step))
          .map((q) => [q.step, q[field] ?? NaN] as [number, number]),
      })),
    ),
  }));
  if (loss.length > 0)
    charts.push({
      name: 'loss',
      yTitle: 'loss, log scale',
      y: 'log',
      legend: false,
      lines: [{ label: 'Loss', colour: p.series.loss, width: 1.2, points: loss.map((q) => [q.step, q.loss]) }],
    });
  return lineChartsSvg({ charts, steps, logX: d.logX, title: caption.title, caption: captionLine(caption) }, p);
}
