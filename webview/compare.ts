// What a Compare panel draws, as pure functions of its runs: the series of one layer per run, each run's final
// figure against a config value that differs between them, and the step each run shows for a chosen step.
import { configKeyLabel, numericDifferingKeys, runLabels } from '../src/protocol/runLabels';
import type { FinalFigure, RunData } from './state';
import { nearestStep } from './state';

/** The series charted over steps for every run, overlaid. */
export const COMPARED_FIELDS = ['clusters', 'effectiveClusters', 'loss'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export const COMPARED_LABELS: Record<ComparedField, string> = {
  clusters: 'Clusters',
  effectiveClusters: 'Effective clusters',
  loss: 'Loss',
};

/** The y axis title of a compared field's chart. */
export function comparedAxisTitle(field: ComparedField, layer: string | undefined): string {
  return field === 'loss' ? 'loss' : `${layer ?? ''} ${COMPARED_LABELS[field]}`;
}

/** One run's points of a field: a layer's figure, or the loss. */
export function runSeries(run: RunData, layer: string | undefined, field: ComparedField): { x: number; y: number }[] {
  if (field === 'loss') return run.loss.map((p) => ({ x: p.step, y: p.loss }));
  return (layer === undefined ? [] : (run.series[layer] ?? [])).map((p) => ({ x: p.step, y: p[field] }));
}

export interface ComparedLine {
  run: string;
  label: string;
  /** The run's place in the comparison: its colour. */
  index: number;
  points: { x: number; y: number }[];
}

/**
 * A field's line per run as the chart draws it (steps above 0 on a log step axis, losses above 0), and whether its
 * y axis is logarithmic: a loss that spans ten times or more.
 */
export function comparedLines(
  runs: readonly RunData[],
  layer: string | undefined,
  field: ComparedField,
  logX: boolean,
): { lines: ComparedLine[]; logY: boolean } {
  const labels = runLabels(runs.map((r) => r.run));
  const keep = (p: { x: number; y: number }) => (!logX || p.x > 0) && (field !== 'loss' || p.y > 0);
  const lines = runs.map((r, index) => ({
    run: r.run.id,
    label: labels[index],
    index,
    points: runSeries(r, layer, field).filter(keep),
  }));
  const ys = lines.flatMap((l) => l.points.map((p) => p.y));
  return { lines, logY: field === 'loss' && spread(ys) >= 10 };
}

/** max / min of positive values (1 when there are none). */
function spread(values: number[]): number {
  const positive = values.filter((v) => v > 0);
  return positive.length === 0 ? 1 : Math.max(...positive) / Math.min(...positive);
}

/** Every step of any line, ascending: where the pointer snaps. */
export function lineSteps(lines: readonly ComparedLine[]): number[] {
  return [...new Set(lines.flatMap((l) => l.points.map((p) => p.x)))].sort((a, b) => a - b);
}

/** The point of a line nearest `step` (points in step order). */
export function pointNear(points: readonly { x: number; y: number }[], step: number) {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x < step) lo = mid + 1;
    else hi = mid;
  }
  const before = points[lo - 1];
  const at = points[lo];
  return before !== undefined && (at === undefined || step - before.x <= at.x - step) ? before : at;
}

/** A run's last value of a field (its newest checkpoint's figure, its last loss). */
export function finalValue(run: RunData, layer: string | undefined, field: FinalFigure): number | undefined {
  return runSeries(run, layer, field).at(-1)?.y;
}

export interface FinalPoint {
  run: string;
  label: string;
  x: number;
  y: number;
}

/** The final figure of each run against a numeric config value that differs, with the keys one may choose. */
export function finalAgainstConfig(
  runs: readonly RunData[],
  layer: string | undefined,
  figure: FinalFigure,
  wantedKey: string | undefined,
): { keys: string[]; key?: string; axis?: string; points: FinalPoint[] } {
  const keys = numericDifferingKeys(runs.map((r) => r.run.config));
  const key = wantedKey !== undefined && keys.includes(wantedKey) ? wantedKey : keys[0];
  if (key === undefined) return { keys, points: [] };
  const labels = runLabels(runs.map((r) => r.run));
  const points = runs.flatMap((r, i): FinalPoint[] => {
    const y = finalValue(r, layer, figure);
    const x = r.run.config?.[key];
    return y === undefined || typeof x !== 'number' ? [] : [{ run: r.run.id, label: labels[i], x, y }];
  });
  return { keys, key, axis: configKeyLabel(key), points: points.sort((a, b) => a.x - b.x) };
}

/** The step a run shows for the chosen one: its own checkpoint nearest to it. */
export function runStep(run: RunData, step: number | undefined): number | undefined {
  return step === undefined ? run.steps.at(-1) : nearestStep(run.steps, step);
}
