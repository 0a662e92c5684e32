// Sparklines of a figure over checkpoints: the points (for the side bar's canvas) and a small SVG
// (for the hover above a layer's definition, as a data URI).

/** Points of a sparkline of `values` in a width × height box (y grows downwards, 1 px margin), `max` at the top. */
export function sparklinePoints(
  values: readonly number[],
  width: number,
  height: number,
  max = Math.max(1, ...values),
): [number, number][] {
  if (values.length === 0) return [];
  const dx = values.length > 1 ? (width - 2) / (values.length - 1) : 0;
  return values.map((v, i) => [1 + i * dx, height - 1 - (v / max) * (height - 2)]);
}

/** An SVG with one polyline per series, all on the scale of the largest value; `color` is a CSS colour. */
export function sparklineSvg(
  series: readonly (readonly number[])[],
  width: number,
  height: number,
  color: string,
): string {
  const max = Math.max(1, ...series.flat());
  const lines = series.map((values) => {
    const d = sparklinePoints(values, width, height, max)
      .map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`)
      .join(' ');
    return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${d}"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${lines.join('')}</svg>`;
}
