// SVG text building: elements with escaped attributes and text, and the document around a figure.

export type Attrs = Record<string, string | number | undefined>;

/** Font stack of every figure; the PNG rasteriser falls back to DejaVu Sans (FIGURE_FONT_FALLBACK). */
export const FIGURE_FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
export const FIGURE_FONT_FALLBACK = 'DejaVu Sans';
export const FONT_SIZE = 12;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Coordinates to two decimals: enough for print, short files. */
export function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function attrText(attrs: Attrs): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? num(v) : v!)}"`)
    .join('');
}

export function el(tag: string, attrs: Attrs, ...children: string[]): string {
  return children.length === 0
    ? `<${tag}${attrText(attrs)}/>`
    : `<${tag}${attrText(attrs)}>${children.join('')}</${tag}>`;
}

export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(content));
}

export function svgDocument(width: number, height: number, background: string, title: string, body: string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    el(
      'svg',
      {
        xmlns: 'http://www.w3.org/2000/svg',
        width,
        height,
        viewBox: `0 0 ${width} ${height}`,
        'font-family': FIGURE_FONT,
        'font-size': FONT_SIZE,
      },
      el('title', {}, escapeXml(title)),
      el('rect', { width, height, fill: background }),
      ...body,
    ),
  ].join('\n');
}

/** "M x y L x y …" of a polyline. */
export function pathData(points: readonly (readonly [number, number])[]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x)} ${num(y)}`).join('');
}
