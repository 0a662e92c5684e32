// Trainer progress lines (docs/formats.md "Trainer progress"): one JSON object a line on the trainer's
// stdout, parsed by the extension host. No vscode, no DOM.

/** Training began: the run folder and the TF.js backend in use. */
export interface StartedLine {
  type: 'started';
  run: string;
  backend: string;
}

/** Loss at a step; `stepsPerSecond` is the recent training speed. */
export interface StepLine {
  type: 'step';
  step: number;
  epoch: number;
  loss: number;
  stepsPerSecond: number;
}

/** A checkpoint file is complete under its final name; `path` is relative to the run folder. */
export interface CheckpointLine {
  type: 'checkpoint';
  step: number;
  path: string;
}

/** Training ended (all steps done, or stopped by SIGTERM/SIGINT at `step`). */
export interface FinishedLine {
  type: 'finished';
  step: number;
}

export interface FailedLine {
  type: 'failed';
  message: string;
}

export type ProgressLine = StartedLine | StepLine | CheckpointLine | FinishedLine | FailedLine;

/** The fields of each line type and what they must hold. */
const FIELDS: {
  [T in ProgressLine['type']]: Record<Exclude<keyof Extract<ProgressLine, { type: T }>, 'type'>, 'string' | 'number'>;
} = {
  started: { run: 'string', backend: 'string' },
  step: { step: 'number', epoch: 'number', loss: 'number', stepsPerSecond: 'number' },
  checkpoint: { step: 'number', path: 'string' },
  finished: { step: 'number' },
  failed: { message: 'string' },
};

/** One line of JSON holding an object (a progress line of the trainer or of a sweep), else undefined. */
export function parseJsonRecord(line: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Parses one stdout line of the trainer. Returns undefined for anything that is not a valid
 * progress line (a stray log line, a partial line), so that the caller can show it as text.
 * `loss` may be null in JSON when training diverged (NaN); it is read back as NaN.
 */
export function parseProgressLine(line: string): ProgressLine | undefined {
  const record = parseJsonRecord(line);
  if (!record) return undefined;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type)) return undefined;
  const fields = FIELDS[type as ProgressLine['type']] as Record<string, 'string' | 'number'>;
  for (const [key, kind] of Object.entries(fields)) {
    if (kind === 'number' && key === 'loss' && record[key] === null) record[key] = NaN;
    else if (typeof record[key] !== kind) return undefined;
  }
  return record as unknown as ProgressLine;
}

/** The line written for a progress event (NaN/Infinity loss become null, as JSON has no NaN). */
export function formatProgressLine(line: ProgressLine): string {
  return JSON.stringify(line);
}

/** A loss as people read it (progress bar, status bar): three significant digits, in exponent form when small. */
export function formatLoss(loss: number): string {
  return Math.abs(loss) >= 0.01 || loss === 0 ? loss.toPrecision(3) : loss.toExponential(2);
}
