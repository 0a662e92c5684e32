// The similarity figure (Fig 6 of the condensation overview) as SVG: cells as one embedded pixel each,
// cluster boundaries as thin lines, axis labels and a titled colour bar.
import { byteLut, rgbCss } from '../colormap';
import type { FigurePalette } from '../palette';
import { base64, encodePng } from '../pngEncode';
import type { SimilarityModel } from '../similarity';
import { CAPTION_HEIGHT, captionSvg, type FigureCaption } from './caption';
import { el, FONT_SIZE, svgDocument, text } from './svg';

/** Cells are at least this many pixels a side, and the matrix at least this wide. */
export const CELL_MIN_PX = 4;
const MATRIX_MIN_PX = 400;
const MARGIN = { left: 64, top: CAPTION_HEIGHT + 16, bottom: 48 };
const BAR = { gap: 16, width: 16, labels: 72 };

/** Pixels per cell in an export. */
export function cellPixels(size: number): number {
  return Math.max(CELL_MIN_PX, Math.ceil(MATRIX_MIN_PX / size));
}

/** RGB bytes of the cells through the palette's diverging map. */
export function cellRgb(m: SimilarityModel, p: FigurePalette): Uint8Array {
  const lut = byteLut(p.diverging);
  const rgb = new Uint8Array(m.cells.length * 3);
  m.cells.forEach((b, i) => rgb.set(lut.subarray(b * 4, b * 4 + 3), i * 3));
  return rgb;
}

export function similaritySvg(
  m: SimilarityModel,
  similarity: 'signed' | 'absolute',
  caption: FigureCaption,
  p: FigurePalette,
): string {
  const cell = cellPixels(m.size);
  const side = m.size * cell;
  const width = MARGIN.left + side + BAR.gap + BAR.width + BAR.labels;
  const height = MARGIN.top + side + MARGIN.bottom;
  const x0 = MARGIN.left;
  const y0 = MARGIN.top;
  const png = base64(encodePng(cellRgb(m, p), m.size, m.size));
  const lines = m.boundaries.flatMap((b) => [
    el('line', { x1: x0 + b * cell, x2: x0 + b * cell, y1: y0, y2: y0 + side }),
    el('line', { x1: x0, x2: x0 + side, y1: y0 + b * cell, y2: y0 + b * cell }),
  ]);
  const barX = x0 + side + BAR.gap;
  const ticks = [-1, -0.5, 0, 0.5, 1];
  const barY = (s: number) => y0 + ((1 - s) / 2) * side;
  const { negative, zero, positive } = p.diverging;
  const axisLabel = m.activeOnly ? 'active neurons in cluster order' : 'neurons in cluster order';
  return svgDocument(width, height, p.background, caption.title, [
    captionSvg(caption, x0, p.foreground, p.muted),
    el(
      'defs',
      {},
      el(
        'linearGradient',
        { id: 'cosine', x1: 0, y1: 1, x2: 0, y2: 0 },
        el('stop', { offset: 0, 'stop-color': rgbCss(negative) }),
        el('stop', { offset: 0.5, 'stop-color': rgbCss(zero) }),
        el('stop', { offset: 1, 'stop-color': rgbCss(positive) }),
      ),
    ),
    el('image', {
      class: 'cells',
      'data-size': m.size,
      'data-block-size': m.blockSize,
      x: x0,
      y: y0,
      width: side,
      height: side,
      preserveAspectRatio: 'none',
      'image-rendering': 'optimizeSpeed',
      href: `data:image/png;base64,${png}`,
    }),
    el('g', { class: 'boundaries', stroke: p.foreground, 'stroke-width': 0.75 }, ...lines),
    el('rect', { x: x0, y: y0, width: side, height: side, fill: 'none', stroke: p.foreground }),
    text(x0, y0 + side + FONT_SIZE + 4, '1', { fill: p.foreground }),
    text(x0 + side, y0 + side + FONT_SIZE + 4, String(m.neurons), { 'text-anchor': 'end', fill: p.foreground }),
    text(x0 + side / 2, y0 + side + FONT_SIZE * 2 + 8, axisLabel, {
      class: 'axis-title x',
      'text-anchor': 'middle',
      fill: p.foreground,
    }),
    text(0, 0, axisLabel, {
      class: 'axis-title y',
      'text-anchor': 'middle',
      fill: p.foreground,
      transform: `translate(${x0 - 16} ${y0 + side / 2}) rotate(-90)`,
    }),
    el(
      'g',
      { class: 'colour-bar' },
      el('rect', { x: barX, y: y0, width: BAR.width, height: side, fill: 'url(#cosine)', stroke: p.foreground }),
      ...ticks.map((s) =>
        text(barX + BAR.width + 4, barY(s) + FONT_SIZE / 3, s === 0 ? '0' : s.toString().replace('-', '−'), {
          fill: p.foreground,
        }),
      ),
      text(0, 0, similarity === 'absolute' ? '|cosine similarity|' : 'cosine similarity', {
        class: 'colour-bar-title',
        'text-anchor': 'middle',
        fill: p.foreground,
        transform: `translate(${barX + BAR.width + 48} ${y0 + side / 2}) rotate(-90)`,
      }),
    ),
    ...(m.blockSize > 1
      ? [
          text(x0, height - 6, `Each cell is the mean over ${m.blockSize} × ${m.blockSize} neurons.`, {
            class: 'note',
            fill: p.muted,
          }),
        ]
      : []),
  ]);
}
