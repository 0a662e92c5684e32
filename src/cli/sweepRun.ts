// What `sweep` and `phase` share: the grid flags, the trainer command, and a local run with one progress bar.
import { appendFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { TrainOptionsError } from '../trainer/options';
import { gridFlagOptions, sweepGrid, type SweepGrid } from '../trainer/sweep/grid';
import {
  runSweepLocally,
  type PointOutcome,
  type SweepProgress,
  type TrainCommand,
} from '../trainer/sweep/localRunner';
import { UsageError } from './command';
import { SWEEP_POINTS_FILE, type SweepPointLine, type SweepProgressLine } from '../protocol/sweepProgress';

/** How a local sweep reports: a bar on stderr for people, or JSON lines on stdout for the editor. */
export type SweepProgressMode = 'bar' | 'json';

/** `--progress bar|json` (default bar). */
export function progressOption(raw: string | undefined): SweepProgressMode {
  if (raw === undefined || raw === 'bar' || raw === 'json') return raw ?? 'bar';
  throw new UsageError(`--progress expects bar or json, got '${raw}'`);
}

/** `train` run by this same CLI (its node, its flags such as a TypeScript loader, its entry file). */
export const selfTrainCommand: TrainCommand = (trainArgs) => ({
  command: process.execPath,
  args: [...process.execArgv, resolve(process.argv[1]), 'train', ...trainArgs],
});

/** The values of the grid flags among a command's parsed options. */
export function gridFlagValues(values: object): Record<string, string | undefined> {
  const given = values as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(gridFlagOptions()).map((f) => [f, typeof given[f] === 'string' ? (given[f] as string) : undefined]),
  );
}

/** The grid, with usage errors as UsageError; sweeps train on the fused kernel unless --backend says otherwise. */
export function gridOrUsageError(
  preset: string,
  flags: Record<string, string | undefined>,
  seeds: number | undefined,
  dir: string,
): SweepGrid {
  try {
    return sweepGrid(preset, { backend: 'fused', ...stripUndefined(flags) }, seeds, dir);
  } catch (e) {
    throw e instanceof TrainOptionsError ? new UsageError(e.message) : e;
  }
}

function stripUndefined(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
}

/** `--parallel N`, by default the number of cores. */
export function parallelOption(raw: string | undefined): number {
  if (raw === undefined) return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--parallel expects a whole number ≥ 1, got '${raw}'`);
  return n;
}

/** One bar for the whole sweep on stderr: steps over all runs, runs done and failed. */
function sweepBar(p: SweepProgress): string {
  const width = 30;
  const done = p.totalSteps > 0 ? Math.min(p.steps / p.totalSteps, 1) : 1;
  const filled = Math.round(done * width);
  const failed = p.failed ? `, ${p.failed} failed` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.steps}/${p.totalSteps} steps  ${p.finished + p.failed}/${p.points} runs${failed}`;
}

function writeJsonLine(line: SweepProgressLine): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

/**
 * Each point's start and end as it happens: appended to the sweep folder's points file (started afresh), and on
 * stdout in JSON mode.
 */
function pointLines(mode: SweepProgressMode, dir: string) {
  const file = join(dir, SWEEP_POINTS_FILE);
  writeFileSync(file, '');
  return (name: string, outcome?: PointOutcome) => {
    const line: SweepPointLine = outcome
      ? {
          type: 'sweep-point',
          name,
          state: outcome.error ? 'failed' : 'finished',
          step: outcome.step,
          message: outcome.error,
        }
      : { type: 'sweep-point', name, state: 'started' };
    // One write per line, so a reader sees either nothing or the whole line.
    appendFileSync(file, JSON.stringify(line) + '\n');
    if (mode === 'json') writeJsonLine(line);
  };
}

/**
 * Runs the grid of the sweep folder `dir` here with a progress bar (or JSON progress lines); SIGINT/SIGTERM stop
 * every run cleanly.
 */
export async function runGridHere(
  grid: SweepGrid,
  dir: string,
  parallel: number,
  mode: SweepProgressMode = 'bar',
): Promise<PointOutcome[]> {
  const tty = mode === 'bar' && process.stderr.isTTY === true;
  let lastDrawn = 0;
  const draw = (p: SweepProgress) => {
    const now = Date.now();
    const last = p.finished + p.failed === p.points;
    if (!last && now - lastDrawn < (tty ? 100 : mode === 'json' ? 500 : 2000)) return;
    lastDrawn = now;
    if (mode === 'json') writeJsonLine({ type: 'sweep-progress', ...p });
    else process.stderr.write(tty ? `\r${sweepBar(p)}\x1b[K` : sweepBar(p) + '\n');
  };
  let onSignal: () => void = () => undefined;
  const stop = new Promise<void>((done) => (onSignal = done));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runSweepLocally(grid.points, {
      parallel,
      command: selfTrainCommand,
      onProgress: draw,
      onPoint: pointLines(mode, dir),
      stop,
    });
  } finally {
    if (tty) process.stderr.write('\n');
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
