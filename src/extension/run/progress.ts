// Trainer progress lines (FORMATS.md "Trainer progress"): one JSON object a line on stdout.

export type ProgressEvent =
  | { type: 'started'; run: string; backend: string }
  | { type: 'step'; step: number; epoch?: number; loss: number; stepsPerSecond?: number }
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'finished'; step: number }
  | { type: 'failed'; message: string };

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';

/** The event a stdout line carries, or undefined for any other line (a user script's own output). */
export function parseProgressLine(line: string): ProgressEvent | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  switch (o.type) {
    case 'started':
      return str(o.run) ? { type: 'started', run: o.run, backend: str(o.backend) ? o.backend : 'unknown' } : undefined;
    case 'step':
      return num(o.step) && num(o.loss)
        ? { type: 'step', step: o.step, loss: o.loss, epoch: num(o.epoch) ? o.epoch : undefined, stepsPerSecond: num(o.stepsPerSecond) ? o.stepsPerSecond : undefined }
        : undefined;
    case 'checkpoint':
      return num(o.step) && str(o.path) ? { type: 'checkpoint', step: o.step, path: o.path } : undefined;
    case 'finished':
      return num(o.step) ? { type: 'finished', step: o.step } : undefined;
    case 'failed':
      return str(o.message) ? { type: 'failed', message: o.message } : undefined;
    default:
      return undefined;
  }
}
