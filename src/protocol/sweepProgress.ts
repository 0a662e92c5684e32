// The lines `sweep --progress json` and `phase --progress json` write on stdout: each point's start and end,
// and the sweep's totals. The extension's sweep driver reads them (docs/sweeps.md).
import { parseJsonRecord } from './trainerProgress';

/** In the sweep folder: every point line the driver wrote, in either progress mode, so any window can read them. */
export const SWEEP_POINTS_FILE = 'sweep-points.jsonl';

/** A point's process started, finished or failed. `name` is its folder in the sweep folder (sweep.json `points`). */
export interface SweepPointLine {
  type: 'sweep-point';
  name: string;
  state: 'started' | 'finished' | 'failed';
  /** The step it reached (finished, failed). */
  step?: number;
  /** Why it failed. */
  message?: string;
}

/** Steps done over all points against their total, and how many runs ended. */
export interface SweepTotalsLine {
  type: 'sweep-progress';
  steps: number;
  totalSteps: number;
  finished: number;
  failed: number;
  points: number;
}

export type SweepProgressLine = SweepPointLine | SweepTotalsLine;

const STATES: readonly string[] = ['started', 'finished', 'failed'];

/** Parses one stdout line of a sweep driver; undefined for any other line. */
export function parseSweepProgressLine(line: string): SweepProgressLine | undefined {
  const r = parseJsonRecord(line);
  if (!r) return undefined;
  if (r.type === 'sweep-point')
    return typeof r.name === 'string' && STATES.includes(r.state as string)
      ? (r as unknown as SweepPointLine)
      : undefined;
  if (r.type === 'sweep-progress')
    return ['steps', 'totalSteps', 'finished', 'failed', 'points'].every((k) => typeof r[k] === 'number')
      ? (r as unknown as SweepTotalsLine)
      : undefined;
  return undefined;
}
