// The training loop: full-batch steps on a preset's data, a checkpoint and a metrics line every
// `every` steps, progress lines as it goes, and a clean stop on request.
import { basename } from 'node:path';
import { useBackend } from '../core/backend';
import { makeDataset } from './data';
import { FusedTwoLayer } from './engines/fusedTwoLayer';
import type { StepEngine } from './engines/stepEngine';
import { TfjsTwoLayer } from './engines/tfjsTwoLayer';
import type { TrainConfig } from './presets';
import { PROGRESS_INTERVAL_MS, type ProgressReporter } from './progress';
import { RunWriter } from './runFolder';
import type { TrainOptions } from './options';

/** Set by a signal handler; the loop stops after the checkpoint it may be writing. */
export interface StopRequest {
  requested: boolean;
}

export interface TrainResult {
  dir: string;
  backend: string;
  /** The last step reached (the number of updates done). */
  step: number;
  stopped: boolean;
}

/** How long the loop may run before it lets the event loop deliver signals. */
const YIELD_INTERVAL_MS = 20;

/** Steps per second over the span since the last reading. */
class SpeedMeter {
  private since = performance.now();
  private stepAtStart = 0;

  read(step: number): number {
    const now = performance.now();
    const rate = now > this.since ? ((step - this.stepAtStart) * 1000) / (now - this.since) : 0;
    this.since = now;
    this.stepAtStart = step;
    return rate;
  }
}

function isCheckpointStep(step: number, config: TrainConfig): boolean {
  return step % config.every === 0 || step === config.steps;
}

/** With a tolerance, the loss is checked at every checkpoint step (cheap there: it was just evaluated). */
function reachedTolerance(config: TrainConfig, step: number, session: StepEngine, loss?: number): boolean {
  if (config.tolerance === undefined || !isCheckpointStep(step, config)) return false;
  return (loss ?? session.evaluate()) <= config.tolerance;
}

/**
 * Trains one run. `searchDirs` are where native backends are looked up (the user's workspace
 * first). Progress goes to `reporter`; errors propagate (the caller reports `failed`).
 */
export async function train(
  options: TrainOptions,
  reporter: ProgressReporter,
  stop: StopRequest,
  searchDirs: readonly string[] = [],
): Promise<TrainResult> {
  const { config } = options;
  const backend = options.backend === 'fused' ? 'fused' : await useBackend(options.backend, searchDirs);
  const writer = new RunWriter(options.out);
  writer.writeManifest({
    name: basename(writer.dir),
    preset: options.preset,
    config,
    backend,
    startedAt: new Date().toISOString(),
  });
  reporter.emit({ type: 'started', run: writer.dir, backend });

  const data = makeDataset(config.dataset, config.seed);
  const session: StepEngine = backend === 'fused' ? new FusedTwoLayer(config, data) : new TfjsTwoLayer(config, data);
  const speed = new SpeedMeter();
  let lastReport = performance.now();
  let lastYield = performance.now();
  let step = 0;
  try {
    for (;;) {
      const atCheckpoint = isCheckpointStep(step, config);
      const now = performance.now();
      let loss: number | undefined;
      if (atCheckpoint || now - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = now;
        loss = session.evaluate();
        reporter.emit({ type: 'step', step, epoch: step, loss, stepsPerSecond: speed.read(step) });
        if (atCheckpoint) {
          const path = writer.writeCheckpoint(step, session.stateDict(), {
            epoch: String(step),
            loss: String(loss),
            preset: options.preset,
          });
          writer.appendMetrics({ step, epoch: step, loss });
          reporter.emit({ type: 'checkpoint', step, path });
        }
      }
      if (step >= config.steps || stop.requested || reachedTolerance(config, step, session, loss)) break;
      session.step();
      step++;
      if (performance.now() - lastYield >= YIELD_INTERVAL_MS) {
        await new Promise((done) => setImmediate(done));
        lastYield = performance.now();
      }
    }
    // Stopped between checkpoints: the metrics file still ends at the step reached.
    if (!isCheckpointStep(step, config)) writer.appendMetrics({ step, epoch: step, loss: session.evaluate() });
  } finally {
    session.dispose();
  }
  reporter.emit({ type: 'finished', step });
  return { dir: writer.dir, backend, step, stopped: stop.requested && step < config.steps };
}
