// Pure helpers over the time series: merging, the scrubber's stops, the Layers table rows, CSV.
import type { LayerPoint } from '../src/protocol/panel';
import type { SortField } from './state';

/** The docs/metrics.md layer-summary fields, in the order the table and the CSV show them. */
export const FIELDS = [
  'neurons',
  'inputDim',
  'active',
  'clusters',
  'effectiveClusters',
  'stableRank',
  'largestCluster',
  'relativeChange',
] as const;
export type Field = (typeof FIELDS)[number];

export const FIELD_LABELS: Record<Field, string> = {
  neurons: 'Neurons',
  inputDim: 'Input dim',
  active: 'Active',
  clusters: 'Clusters',
  effectiveClusters: 'Effective clusters',
  stableRank: 'Stable rank',
  largestCluster: 'Largest cluster',
  relativeChange: 'Relative change',
};

/**
 * Adds `incoming` to `existing` (both in step order), a point of an existing step replacing it.
 * Returns a new array; appending in order, the common case, costs one copy.
 */
export function mergeByStep<T extends { step: number }>(existing: readonly T[], incoming: readonly T[]): T[] {
  const out = existing.slice();
  for (const p of incoming) {
    const last = out[out.length - 1];
    if (last === undefined || p.step > last.step) {
      out.push(p);
      continue;
    }
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (out[mid].step < p.step) lo = mid + 1;
      else hi = mid;
    }
    if (out[lo]?.step === p.step) out[lo] = p;
    else out.splice(lo, 0, p);
  }
  return out;
}

/** Sorted distinct steps over every layer's series. */
export function stepUnion(series: Record<string, readonly LayerPoint[]>): number[] {
  const set = new Set<number>();
  for (const points of Object.values(series)) for (const p of points) set.add(p.step);
  return [...set].sort((a, b) => a - b);
}

/** The point of `points` at `step`, or undefined. */
export function pointAt(points: readonly LayerPoint[] | undefined, step: number): LayerPoint | undefined {
  if (!points) return undefined;
  let lo = 0;
  let hi = points.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].step === step) return points[mid];
    if (points[mid].step < step) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** The loss point whose step is closest to `step`. */
export function lossNear(
  loss: readonly { step: number; loss: number }[],
  step: number,
): { step: number; loss: number } | undefined {
  let best: { step: number; loss: number } | undefined;
  for (const p of loss) if (best === undefined || Math.abs(p.step - step) < Math.abs(best.step - step)) best = p;
  return best;
}

export interface TableRow {
  layer: string;
  point?: LayerPoint;
}

/** One row per layer with its latest point, sorted as asked (layers without points last). */
export function tableRows(
  layers: readonly string[],
  series: Record<string, readonly LayerPoint[]>,
  sort: { field: SortField; descending: boolean },
): TableRow[] {
  const rows: TableRow[] = layers.map((layer) => ({ layer, point: series[layer]?.[series[layer].length - 1] }));
  const sign = sort.descending ? -1 : 1;
  const key = (r: TableRow, i: number): string | number | undefined =>
    sort.field === 'model' ? i : sort.field === 'name' ? r.layer : r.point?.[sort.field];
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const ka = key(a.r, a.i);
      const kb = key(b.r, b.i);
      if (ka === undefined || kb === undefined) return ka === kb ? a.i - b.i : ka === undefined ? 1 : -1;
      const c =
        typeof ka === 'string' ? ka.localeCompare(String(kb), undefined, { numeric: true }) : ka - (kb as number);
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.r);
}

/** Figures as shown in the table and tooltips: integers exactly, others to 4 significant digits. */
export function formatValue(v: number | undefined): string {
  if (v === undefined || v === null) return '–';
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/** The columns of the series CSV. */
const SERIES_COLUMNS = ['layer', 'step', ...FIELDS, 'loss'];

/** Every series as one long CSV: a row per layer and checkpoint, then a row per loss point. */
export function seriesCsv(
  layers: readonly string[],
  series: Record<string, readonly LayerPoint[]>,
  loss: readonly { step: number; loss: number }[],
): string {
  return [SERIES_COLUMNS.join(','), ...seriesRows(layers, series, loss)].join('\n') + '\n';
}

/** The series of several runs in one CSV: the single-run rows of each run in turn, after a `run` column (its label). */
export function runsCsv(
  runs: readonly {
    label: string;
    layers: readonly string[];
    series: Record<string, readonly LayerPoint[]>;
    loss: readonly { step: number; loss: number }[];
  }[],
): string {
  const lines = [['run', ...SERIES_COLUMNS].join(',')];
  for (const r of runs)
    for (const row of seriesRows(r.layers, r.series, r.loss)) lines.push(`${csvText(r.label)},${row}`);
  return lines.join('\n') + '\n';
}

function seriesRows(
  layers: readonly string[],
  series: Record<string, readonly LayerPoint[]>,
  loss: readonly { step: number; loss: number }[],
): string[] {
  const lossAt = new Map(loss.map((p) => [p.step, p.loss]));
  const lines: string[] = [];
  const cell = (v: number | undefined) => (v === undefined ? '' : String(v));
  for (const layer of layers) {
    for (const p of series[layer] ?? [])
      lines.push([csvText(layer), p.step, ...FIELDS.map((f) => cell(p[f])), cell(lossAt.get(p.step))].join(','));
  }
  for (const p of loss) lines.push(['', p.step, ...FIELDS.map(() => ''), p.loss].join(','));
  return lines;
}

function csvText(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
