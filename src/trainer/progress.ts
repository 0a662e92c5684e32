// Progress output: JSON lines on stdout for the extension (docs/formats.md), or a progress bar on
// stderr for people. Human-readable logs always go to stderr.
import { formatLoss, formatProgressLine, type ProgressLine } from '../protocol/trainerProgress';

export type ProgressMode = 'json' | 'text';
export const PROGRESS_MODES: readonly ProgressMode[] = ['json', 'text'];

/** How often a step line is sent between checkpoints, so that long intervals still show progress. */
export const PROGRESS_INTERVAL_MS = 1000;
/** Width of the text progress bar in characters. */
const BAR_WIDTH = 30;

export interface ProgressReporter {
  emit(line: ProgressLine): void;
  /** A human-readable line on stderr. */
  log(message: string): void;
}

interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Draws `[#####.....] 1200/10000  1850 steps/s  loss 1.23e-4` (redrawn in place on a terminal). */
class TextProgress implements ProgressReporter {
  private lastDrawn = 0;
  private barShown = false;

  constructor(
    private readonly totalSteps: number,
    private readonly err: Writable,
  ) {}

  emit(line: ProgressLine): void {
    switch (line.type) {
      case 'started':
        this.log(`training in ${line.run} on the ${line.backend} backend`);
        break;
      case 'step':
        this.drawBar(line.step, line.stepsPerSecond, line.loss);
        break;
      case 'checkpoint':
        break;
      case 'finished':
        this.log(`finished at step ${line.step}`);
        break;
      case 'failed':
        this.log(`failed: ${line.message}`);
        break;
    }
  }

  log(message: string): void {
    if (this.barShown && this.err.isTTY) this.err.write('\n');
    this.barShown = false;
    this.err.write(message + '\n');
  }

  private drawBar(step: number, stepsPerSecond: number, loss: number): void {
    const now = Date.now();
    // Off a terminal the bar cannot be redrawn in place: print it once per interval instead.
    if (!this.err.isTTY && now - this.lastDrawn < PROGRESS_INTERVAL_MS && step < this.totalSteps) return;
    this.lastDrawn = now;
    const done = this.totalSteps > 0 ? Math.min(step / this.totalSteps, 1) : 1;
    const filled = Math.round(done * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${step}/${this.totalSteps}  ${Math.round(stepsPerSecond)} steps/s  loss ${formatLoss(loss)}`;
    this.err.write(this.err.isTTY ? `\r${bar}\x1b[K` : bar + '\n');
    this.barShown = this.err.isTTY === true;
  }
}

class JsonProgress implements ProgressReporter {
  constructor(
    private readonly out: Writable,
    private readonly err: Writable,
  ) {}

  emit(line: ProgressLine): void {
    this.out.write(formatProgressLine(line) + '\n');
  }

  log(message: string): void {
    this.err.write(message + '\n');
  }
}

export function makeReporter(
  mode: ProgressMode,
  totalSteps: number,
  out: Writable = process.stdout,
  err: Writable = process.stderr,
): ProgressReporter {
  return mode === 'json' ? new JsonProgress(out, err) : new TextProgress(totalSteps, err);
}
