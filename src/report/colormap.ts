// The heatmap's diverging colormap over S in [−1, 1] and the color parsing it needs (pure, no DOM).
import { byteToSimilarity } from '../protocol/similarityBytes';

export type Rgb = readonly [number, number, number];

/** Endpoints of the diverging map: S = −1, 0 and +1 (taken from theme colors). */
export interface Diverging {
  negative: Rgb;
  zero: Rgb;
  positive: Rgb;
}

/** The color of S: linear in sRGB from `zero` towards `positive` (S > 0) or `negative` (S < 0), rounded. */
export function divergingColor(s: number, map: Diverging): Rgb {
  const t = Math.max(-1, Math.min(1, Number.isNaN(s) ? 0 : s));
  const end = t < 0 ? map.negative : map.positive;
  const f = Math.abs(t);
  return [0, 1, 2].map((c) => Math.round(map.zero[c] + (end[c] - map.zero[c]) * f)) as unknown as Rgb;
}

export { byteToSimilarity } from '../protocol/similarityBytes';

/** RGBA for each of the 256 byte values, so drawing a 2048² heatmap is one lookup per cell. */
export function byteLut(map: Diverging): Uint8Array {
  const lut = new Uint8Array(256 * 4);
  for (let b = 0; b < 256; b++) {
    const [r, g, bl] = divergingColor(byteToSimilarity(b), map);
    lut.set([r, g, bl, 255], b * 4);
  }
  return lut;
}

/**
 * Parses the color forms a canvas normalises `fillStyle` to: `#rrggbb`, `#rgb`, `rgb(r, g, b)`
 * and `rgba(r, g, b, a)`. A translucent color is composed over `under`.
 */
export function parseColor(text: string, under: Rgb = [255, 255, 255]): Rgb | undefined {
  const s = text.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,8})$/.exec(s);
  if (m) {
    const h = m[1];
    const full = h.length === 3 || h.length === 4 ? [...h].map((c) => c + c).join('') : h;
    if (full.length !== 6 && full.length !== 8) return undefined;
    const rgb = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
    return full.length === 8 ? over(rgb, parseInt(full.slice(6, 8), 16) / 255, under) : rgb;
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(s);
  if (m) {
    const rgb = [Number(m[1]), Number(m[2]), Number(m[3])] as unknown as Rgb;
    if (m[4] === undefined) return rgb;
    const a = m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
    return over(rgb, a, under);
  }
  return undefined;
}

function over(rgb: Rgb, alpha: number, under: Rgb): Rgb {
  return [0, 1, 2].map((c) => Math.round(rgb[c] * alpha + under[c] * (1 - alpha))) as unknown as Rgb;
}

export function rgbCss([r, g, b]: Rgb, alpha = 1): string {
  return alpha >= 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
