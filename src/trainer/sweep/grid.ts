// A sweep's grid: every flag of `train` may take a comma-separated list; the points are their product.
import { join } from 'node:path';
import { TRAIN_FLAGS, TrainOptionsError, parseTrainArgs, type TrainOptions } from '../options';

/** The flags of `train` that a grid may vary (a list of values each), in the order they name a point. */
const GRID_FLAGS = Object.keys(TRAIN_FLAGS).filter((f) => !['out', 'progress', 'help'].includes(f));

export interface SweepPoint {
  /** Folder name inside the sweep folder, from the values that vary: `gamma=0.5_width=1000_seed=0`. */
  name: string;
  /** The flag values of this point that vary across the grid. */
  values: Record<string, string>;
  /** The arguments of `train` for this point (preset first, then flags; `--out` included). */
  args: string[];
  options: TrainOptions;
}

export interface SweepGrid {
  preset: string;
  /** Every grid flag that was given, with its values. */
  axes: Record<string, string[]>;
  points: SweepPoint[];
}

/** Splits `0.25,0.5,1` into its values; an empty item is a mistake. */
function listOf(flag: string, raw: string): string[] {
  const values = raw.split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) throw new TrainOptionsError(`--${flag} has an empty item in '${raw}'`);
  return [...new Set(values)];
}

/** `--seeds K`: seeds 0..K−1, unless `--seed` lists them. */
function seedAxis(seeds: number | undefined, seedList: string[] | undefined): string[] | undefined {
  if (seeds === undefined) return seedList;
  if (seedList) throw new TrainOptionsError('give either --seeds K or --seed a,b,…, not both');
  return Array.from({ length: seeds }, (_, k) => String(k));
}

/** Every combination of the axes' values, the first axis varying slowest. */
function product(axes: [string, string[]][]): Record<string, string>[] {
  return axes.reduce<Record<string, string>[]>(
    (points, [flag, values]) => points.flatMap((p) => values.map((v) => ({ ...p, [flag]: v }))),
    [{}],
  );
}

/** A folder-safe point name from its varying values (or `run` for a one-point grid). */
function pointName(values: Record<string, string>): string {
  const parts = Object.entries(values).map(([k, v]) => `${k}=${v}`.replace(/[^\w.=-]+/g, '-'));
  return parts.length ? parts.join('_') : 'run';
}

/**
 * The grid of `sweep <preset> [--flag a,b,…]… [--seeds K]` into `dir`; each point's flags are checked by the
 * `train` parser, so a bad value is a usage error before anything runs.
 */
export function sweepGrid(
  preset: string,
  flags: Record<string, string | undefined>,
  seeds: number | undefined,
  dir: string,
): SweepGrid {
  const given: [string, string[]][] = GRID_FLAGS.filter((f) => flags[f] !== undefined).map((f) => [
    f,
    listOf(f, flags[f]!),
  ]);
  const seedValues = seedAxis(seeds, given.find(([f]) => f === 'seed')?.[1]);
  const axes = given.filter(([f]) => f !== 'seed');
  if (seedValues) axes.push(['seed', seedValues]);
  const varying = new Set(axes.filter(([, values]) => values.length > 1).map(([f]) => f));
  const points = product(axes).map((values) => {
    const shown = Object.fromEntries(Object.entries(values).filter(([f]) => varying.has(f)));
    const name = pointName(shown);
    const args = [preset, ...Object.entries(values).flatMap(([f, v]) => [`--${f}`, v]), '--out', join(dir, name)];
    const options = parseTrainArgs(args);
    if (options === 'help') throw new TrainOptionsError('--help is not a grid value');
    return { name, values: shown, args, options };
  });
  return { preset, axes: Object.fromEntries(axes), points };
}

/** The grid flags as parseArgs options (all strings: each may be a list). */
export function gridFlagOptions() {
  return Object.fromEntries(GRID_FLAGS.map((f) => [f, { type: 'string' as const }]));
}
