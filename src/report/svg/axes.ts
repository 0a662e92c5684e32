// A plot rectangle with its x and y scales: maps data to pixels and draws the axes, ticks, grid and titles.
import { exponentSuffix, linearTicks, logTicks, tickCount, TICK_SPACING, type Ticks } from '../ticks';
import { el, FONT_SIZE, text } from './svg';

export interface Scale {
  min: number;
  max: number;
  log?: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AxisColours {
  foreground: string;
  muted: string;
  grid: string;
}

const TICK_LENGTH = 4;

function fraction(v: number, s: Scale): number {
  if (s.log) return (Math.log10(Math.max(v, s.min)) - Math.log10(s.min)) / (Math.log10(s.max) - Math.log10(s.min));
  return (v - s.min) / (s.max - s.min || 1);
}

export class Plot {
  constructor(
    readonly area: Rect,
    readonly xScale: Scale,
    readonly yScale: Scale,
  ) {}

  px(v: number): number {
    return this.area.x + fraction(v, this.xScale) * this.area.width;
  }

  py(v: number): number {
    return this.area.y + this.area.height - fraction(v, this.yScale) * this.area.height;
  }

  /** Ticks that fit the axis length without overlapping labels. */
  xTicks(): Ticks {
    return axisTicks(this.xScale, tickCount(this.area.width, TICK_SPACING.horizontal));
  }

  yTicks(): Ticks {
    return axisTicks(this.yScale, tickCount(this.area.height, TICK_SPACING.vertical));
  }

  /** Frame, grid, ticks and titles; the factored power of ten goes into the title. */
  axes(colours: AxisColours, x: { ticks: Ticks; title: string }, y: { ticks: Ticks; title: string }): string {
    const { x: left, y: top, width, height } = this.area;
    const bottom = top + height;
    const parts: string[] = [];
    x.ticks.values.forEach((v, i) => {
      const p = this.px(v);
      parts.push(
        el('line', { x1: p, x2: p, y1: top, y2: bottom, stroke: colours.grid, 'stroke-width': 0.5 }),
        el('line', { x1: p, x2: p, y1: bottom, y2: bottom + TICK_LENGTH, stroke: colours.foreground }),
        text(p, bottom + TICK_LENGTH + FONT_SIZE, x.ticks.labels[i], {
          'text-anchor': 'middle',
          fill: colours.foreground,
        }),
      );
    });
    y.ticks.values.forEach((v, i) => {
      const p = this.py(v);
      parts.push(
        el('line', { x1: left, x2: left + width, y1: p, y2: p, stroke: colours.grid, 'stroke-width': 0.5 }),
        el('line', { x1: left - TICK_LENGTH, x2: left, y1: p, y2: p, stroke: colours.foreground }),
        text(left - TICK_LENGTH - 2, p + FONT_SIZE / 3, y.ticks.labels[i], {
          'text-anchor': 'end',
          fill: colours.foreground,
        }),
      );
    });
    parts.push(
      el('rect', { x: left, y: top, width, height, fill: 'none', stroke: colours.foreground, 'stroke-width': 1 }),
      text(left + width / 2, bottom + TICK_LENGTH + FONT_SIZE * 2 + 6, x.title + exponentSuffix(x.ticks), {
        class: 'axis-title x',
        'text-anchor': 'middle',
        fill: colours.foreground,
      }),
      text(0, 0, y.title + exponentSuffix(y.ticks), {
        class: 'axis-title y',
        'text-anchor': 'middle',
        fill: colours.foreground,
        transform: `translate(${left - 48} ${top + height / 2}) rotate(-90)`,
      }),
    );
    return el('g', { class: 'axes' }, ...parts);
  }
}

export function axisTicks(s: Scale, count: number): Ticks {
  return s.log ? logTicks(s.min, s.max) : linearTicks(s.min, s.max, count);
}

type LegendItem = { label: string; colour: string; line?: boolean };

/** Where a legend item goes: each row left to right from x, a row below the other past `width`. */
function legendPlaces(items: readonly LegendItem[], width: number): { dx: number; row: number }[] {
  let dx = 0;
  let row = 0;
  return items.map(({ label }) => {
    const itemWidth = 26 + label.length * FONT_SIZE * 0.6;
    if (dx > 0 && dx + itemWidth > width) [dx, row] = [0, row + 1];
    const place = { dx, row };
    dx += itemWidth;
    return place;
  });
}

/** The rows a legend takes within `width`. */
export function legendRows(items: readonly LegendItem[], width = Infinity): number {
  return (legendPlaces(items, width).at(-1)?.row ?? 0) + 1;
}

export const LEGEND_ROW_HEIGHT = 16;

/** A legend: swatches and labels left to right from (x, y), wrapped into rows below it past `width`. */
export function legend(x: number, y: number, items: LegendItem[], fg: string, width = Infinity) {
  const places = legendPlaces(items, width);
  const parts = items.map(({ label, colour, line }, i) => {
    const at = x + places[i].dx;
    const base = y + places[i].row * LEGEND_ROW_HEIGHT;
    const swatch = line
      ? el('line', { x1: at, x2: at + 14, y1: base - 4, y2: base - 4, stroke: colour, 'stroke-width': 2 })
      : el('circle', { cx: at + 5, cy: base - 4, r: 4, fill: colour });
    return el('g', {}, swatch, text(at + 18, base, label, { fill: fg }));
  });
  return el('g', { class: 'legend' }, ...parts);
}
