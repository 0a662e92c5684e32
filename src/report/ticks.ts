// Axis ticks a reader can take in at once: 1-2-5 steps, a shared power of a thousand, decades on log axes, π fractions.

export interface Ticks {
  values: number[];
  labels: string[];
  /** Power of ten factored out of the labels, a multiple of 3 (engineering notation); 0 when none. */
  exponent: number;
}

/** Pixels a tick label needs along a vertical and a horizontal axis, so labels never overlap. */
export const TICK_SPACING = { vertical: 28, horizontal: 64 };

/** Tick labels without a factored exponent while the largest tick lies in this range. */
const PLAIN_RANGE = { min: 1e-2, max: 1e6 };

/** How many ticks fit along `pixels` (at least 2). */
export function tickCount(pixels: number, spacing: number): number {
  return Math.max(2, Math.floor(pixels / spacing) + 1);
}

/** The smallest 1, 2 or 5 × 10^k step that covers `span` in at most `count − 1` steps. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count - 1);
  const p = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * p >= raw * (1 - 1e-9)) ?? 10) * p;
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** "10⁻⁶". */
export function powerOfTenText(exponent: number): string {
  return `10${[...String(exponent)].map((c) => SUPERSCRIPT[c]).join('')}`;
}

/** " (×10⁻⁶)" for an axis title, "" when nothing was factored out. */
export function exponentSuffix(t: Ticks): string {
  return t.exponent === 0 ? '' : ` (×${powerOfTenText(t.exponent)})`;
}

/** Ticks at multiples of a 1-2-5 step within [min, max], labelled with a shared power of a thousand. */
export function linearTicks(min: number, max: number, count: number): Ticks {
  const hi = max > min ? max : min + 1;
  const step = niceStep(hi - min, count);
  const values: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
    values.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  const top = Math.max(...values.map(Math.abs));
  const exponent =
    top === 0 || (top >= PLAIN_RANGE.min && top < PLAIN_RANGE.max) ? 0 : 3 * Math.floor(Math.log10(top) / 3);
  const unit = 10 ** exponent;
  const decimals = Math.max(0, -Math.floor(Math.log10(step / unit) + 1e-9));
  const labels = values.map((v) => minus((v / unit).toFixed(decimals)));
  return { values, labels, exponent };
}

/** Decades within [min, max] (min > 0); with fewer than two, the 1-2-5 multiples between. */
export function logTicks(min: number, max: number): Ticks {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const inside = (v: number) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const decades: number[] = [];
  for (let e = lo; e <= hi; e++) if (inside(10 ** e)) decades.push(e);
  if (decades.length >= 2) {
    const every = Math.ceil(decades.length / 8);
    const kept = decades.filter((_, i) => i % every === 0);
    return { values: kept.map((e) => 10 ** e), labels: kept.map(powerOfTenText), exponent: 0 };
  }
  const values: number[] = [];
  const labels: string[] = [];
  for (let e = lo; e <= hi; e++)
    for (const m of [1, 2, 5])
      if (inside(m * 10 ** e)) {
        values.push(m * 10 ** e);
        labels.push(m === 1 ? powerOfTenText(e) : `${m}×${powerOfTenText(e)}`);
      }
  return { values, labels, exponent: 0 };
}

/** Multiples of π/2 within [start, start + 2π], labelled "−π/2", "π", "3π/2" … */
export function piTicks(start: number): Ticks {
  const values: number[] = [];
  const labels: string[] = [];
  for (let k = Math.ceil((start / Math.PI) * 2 - 1e-9); (k * Math.PI) / 2 <= start + 2 * Math.PI + 1e-9; k++) {
    values.push((k * Math.PI) / 2);
    labels.push(piFraction(k));
  }
  return { values, labels, exponent: 0 };
}

/** k·π/2 as text: "0", "π/2", "−π", "3π/2". */
export function piFraction(k: number): string {
  if (k === 0) return '0';
  const sign = k < 0 ? '−' : '';
  const a = Math.abs(k);
  if (a % 2 === 0) return `${sign}${a === 2 ? '' : a / 2}π`;
  return `${sign}${a === 1 ? '' : a}π/2`;
}

function minus(s: string): string {
  return s.replace(/^-/, '−').replace(/^−(0(\.0+)?)$/, '$1');
}
