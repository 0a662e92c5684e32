// Command arguments as the palette, the Explorer, the Runs tree and scripts pass them, read without vscode.
import type { RunStatus } from '../protocol/panel';

/** A sweep point as its driver last reported it (sweep-points.jsonl); `step` of a running point is its last metric. */
export interface SweepPointState {
  status: Extract<RunStatus, 'running' | 'finished' | 'failed'>;
  step?: number;
  message?: string;
}

/** An element of the "Runs" tree; VS Code passes it as the argument of the tree's context and inline actions. */
export type RunsTreeNode =
  // label: a sweep's run is labelled by the values that vary (`γ = 0.5`); pending: its folder is not there yet;
  // point: what the sweep's driver said of it.
  | { kind: 'run'; folder: string; label?: string; pending?: boolean; point?: SweepPointState }
  // A sweep folder (sweep.json): its run folders are `runs`, in grid order; phase: it has a phase.json;
  // points: what its driver said of each run, in the same order.
  | {
      kind: 'sweep';
      folder: string;
      preset: string;
      runs: string[];
      phase: boolean;
      points?: (SweepPointState | undefined)[];
    }
  // label: relative to the run (`checkpoint-500/model.safetensors`), as a folder checkpoint's file name repeats.
  | { kind: 'checkpoint'; path: string; label?: string }
  // A run folder where no layout found a checkpoint (yet): says what was looked for.
  | { kind: 'empty'; message: string };

/** A run or checkpoint named by a command argument: a path, a file Uri, a Runs tree node, or `{ runId }`. */
export type PathArg = string | { fsPath: string } | RunsTreeNode | { runId: string } | undefined;

/** The file or folder a command argument names; undefined when it names none (the command then asks). */
export function argPath(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const fields = arg as Record<string, unknown>;
  // fsPath first: a Uri also has a `path`, which is not a file system path on Windows.
  for (const key of ['fsPath', 'runId', 'folder', 'path']) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
