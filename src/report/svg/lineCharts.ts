// Line charts stacked on one step axis, as SVG: each with its legend and its y axis (from zero, fitted, or log).
import type { FigurePalette } from '../palette';
import { legend, LEGEND_ROW_HEIGHT, legendRows, Plot, type Scale } from './axes';
import { CAPTION_HEIGHT, captionBlock } from './caption';
import { el, pathData, svgDocument } from './svg';

const WIDTH = 640;
const CHART_HEIGHT = 170;
const MARGIN = { left: 72, right: 36, top: CAPTION_HEIGHT + 8, gap: 64 };

export interface SvgLine {
  label: string;
  colour: string;
  /** A stroke-dasharray, '' for a solid line. */
  dash?: string;
  width?: number;
  /** [step, value]; values that are not finite are left out of the path. */
  points: readonly (readonly [number, number])[];
}

export interface SvgLineChart {
  /** The chart group's data-title. */
  name: string;
  yTitle: string;
  /** From zero to above the largest value, the values' range, or the values' range on a log axis. */
  y: 'zero' | 'fit' | 'log';
  legend: boolean;
  lines: SvgLine[];
}

export interface LineChartsFigure {
  charts: SvgLineChart[];
  /** The steps the shared step axis spans. */
  steps: readonly number[];
  logX: boolean;
  title: string;
  /** The caption's second line: what the figure is of, and the analysis settings. */
  caption: string;
}

function range(values: readonly number[]): { min: number; max: number } {
  const min = values.reduce((m, v) => Math.min(m, v), Infinity);
  const max = values.reduce((m, v) => Math.max(m, v), -Infinity);
  return min <= max ? { min, max: max > min ? max : min + 1 } : { min: 0, max: 1 };
}

function yScale(chart: SvgLineChart): Scale {
  const values = chart.lines.flatMap((l) => l.points.map((q) => q[1])).filter(Number.isFinite);
  const { min, max } = range(values);
  if (chart.y === 'log') return { min: min / 1.2, max: max * 1.2, log: true };
  if (chart.y === 'fit') return { min: min - (max - min) * 0.05, max: max + (max - min) * 0.05 };
  return { min: 0, max: max * 1.05 || 1 };
}

export function lineChartsSvg(f: LineChartsFigure, p: FigurePalette): string {
  const x: Scale = { ...range(f.steps), log: f.logX };
  const width = WIDTH - MARGIN.left - MARGIN.right;
  const items = f.charts.map((c) =>
    c.legend ? c.lines.map((l) => ({ label: l.label, colour: l.colour, line: true })) : [],
  );
  // A legend of more than one row pushes its chart, and those below it, down.
  const extra = items.map((it) => (legendRows(it, width) - 1) * LEGEND_ROW_HEIGHT);
  const height = MARGIN.top + f.charts.length * (CHART_HEIGHT + MARGIN.gap) + extra.reduce((a, b) => a + b, 0);
  const body: string[] = [captionBlock(f.title, f.caption, MARGIN.left, p.foreground, p.muted)];
  let top = MARGIN.top;
  f.charts.forEach((chart, i) => {
    const area = { x: MARGIN.left, y: top + 24 + extra[i], width, height: CHART_HEIGHT - 24 };
    top += CHART_HEIGHT + MARGIN.gap + extra[i];
    const plot = new Plot(area, x, yScale(chart));
    body.push(
      el(
        'g',
        { class: 'chart', 'data-title': chart.name },
        chart.legend ? legend(MARGIN.left, plot.area.y - 8 - extra[i], items[i], p.foreground, width) : '',
        plot.axes(p, { ticks: plot.xTicks(), title: 'step' }, { ticks: plot.yTicks(), title: chart.yTitle }),
        ...chart.lines.map((l) =>
          el('path', {
            class: 'series',
            'data-label': l.label,
            d: pathData(l.points.filter((q) => Number.isFinite(q[1])).map(([sx, sy]) => [plot.px(sx), plot.py(sy)])),
            fill: 'none',
            stroke: l.colour,
            'stroke-width': l.width ?? 1.5,
            'stroke-dasharray': l.dash || undefined,
          }),
        ),
      ),
    );
  });
  return svgDocument(WIDTH, height, p.background, f.title, body);
}
