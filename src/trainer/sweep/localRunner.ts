// Runs a sweep's points on this machine: `parallel` trainer processes at a time, one progress total.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseProgressLine } from '../../protocol/trainerProgress';
import type { SweepPoint } from './grid';

/** How a point's `train` arguments become a process: the executable and its arguments. */
export type TrainCommand = (trainArgs: readonly string[]) => { command: string; args: string[] };

export interface PointOutcome {
  name: string;
  /** The step reached, from the trainer's progress lines. */
  step: number;
  /** Set when the run failed: its `failed` line, or how the process ended. */
  error?: string;
}

export interface SweepProgress {
  /** Steps done over all points, and the total of their `--steps`. */
  steps: number;
  totalSteps: number;
  finished: number;
  failed: number;
  points: number;
}

export interface LocalSweepOptions {
  parallel: number;
  command: TrainCommand;
  onProgress?: (progress: SweepProgress) => void;
  /** A point's process started, or ended (with its outcome). */
  onPoint?: (name: string, outcome?: PointOutcome) => void;
  /** Resolves when the sweep should stop: every running trainer gets SIGTERM, no new one starts. */
  stop?: Promise<void>;
}

/** One point as a child process; resolves when it exits, reporting each step it reaches. */
function runPoint(
  point: SweepPoint,
  command: TrainCommand,
  onStep: (step: number) => void,
  children: Set<ChildProcess>,
) {
  return new Promise<PointOutcome>((done) => {
    const { command: exe, args } = command([...point.args, '--progress', 'json']);
    const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const outcome: PointOutcome = { name: point.name, step: 0 };
    let stderrTail = '';
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = parseProgressLine(text);
      if (line?.type === 'step' || line?.type === 'finished') {
        outcome.step = line.step;
        onStep(line.step);
      } else if (line?.type === 'failed') outcome.error = line.message;
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-2000)));
    child.on('error', (e) => (outcome.error ??= `could not start ${exe}: ${e.message}`));
    child.on('close', (code, signal) => {
      children.delete(child);
      if (code !== 0 && !outcome.error) {
        const last = stderrTail.trim().split('\n').pop() ?? '';
        outcome.error = `the trainer ended with ${signal ?? `exit status ${code}`}${last ? `: ${last}` : ''}`;
      }
      done(outcome);
    });
  });
}

/** Runs every point, at most `parallel` at once, in grid order; one outcome per point, in grid order. */
export async function runSweepLocally(
  points: readonly SweepPoint[],
  options: LocalSweepOptions,
): Promise<PointOutcome[]> {
  const children = new Set<ChildProcess>();
  const reached = new Map<string, number>();
  const progress: SweepProgress = {
    steps: 0,
    totalSteps: points.reduce((s, p) => s + p.options.config.steps, 0),
    finished: 0,
    failed: 0,
    points: points.length,
  };
  let stopped = false;
  void options.stop?.then(() => {
    stopped = true;
    for (const child of children) child.kill('SIGTERM');
  });
  const outcomes: PointOutcome[] = new Array(points.length);
  let next = 0;
  const worker = async () => {
    while (next < points.length && !stopped) {
      const index = next++;
      const point = points[index];
      const onStep = (step: number) => {
        progress.steps += step - (reached.get(point.name) ?? 0);
        reached.set(point.name, step);
        options.onProgress?.(progress);
      };
      options.onPoint?.(point.name);
      const outcome = await runPoint(point, options.command, onStep, children);
      if (outcome.error) progress.failed++;
      else progress.finished++;
      outcomes[index] = outcome;
      options.onPoint?.(point.name, outcome);
      options.onProgress?.(progress);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel, points.length)) }, worker));
  return points.map((p, i) => outcomes[i] ?? { name: p.name, step: 0, error: 'not started: the sweep was stopped' });
}
