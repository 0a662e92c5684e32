// The training loop: full-batch steps on a preset's data, a checkpoint and a metrics line every
// `every` steps, progress lines as it goes, and a clean stop on request.
import * as tf from '@tensorflow/tfjs';
import { basename } from 'node:path';
import { useBackend } from '../core/backend';
import { makeDataset, type Dataset } from './data';
import { TwoLayerNet } from './model';
import type { OptimizerName, TrainConfig } from './presets';
import { PROGRESS_INTERVAL_MS, type ProgressReporter } from './progress';
import { Random, STREAMS } from './random';
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

/** Adam with PyTorch's defaults (β = 0.9, 0.999; ε = 1e-8; TF.js's own ε is 1e-7). */
function makeOptimizer(name: OptimizerName, lr: number): tf.Optimizer {
  return name === 'adam' ? tf.train.adam(lr, 0.9, 0.999, 1e-8) : tf.train.sgd(lr);
}

/** Inverted-dropout masks from the seed's dropout stream: kept units scaled by 1/(1 − p). */
function dropoutMask(random: Random, p: number, rows: number, width: number): tf.Tensor2D {
  const mask = new Float32Array(rows * width);
  const scale = 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = random.uniform() >= p ? scale : 0;
  return tf.tensor2d(mask, [rows, width]);
}

/** The model, its data and optimizer: one full-batch step at a time. */
class Session {
  private readonly model: TwoLayerNet;
  private readonly x: tf.Tensor2D;
  private readonly y: tf.Tensor2D;
  private readonly optimizer: tf.Optimizer;
  private readonly dropout?: Random;
  private readonly lossScale: number;

  constructor(
    private readonly config: TrainConfig,
    private readonly data: Dataset,
  ) {
    this.model = new TwoLayerNet(
      data.inputDim,
      config.width,
      config.gamma,
      config.activation,
      new Random(config.seed, STREAMS.init),
    );
    this.x = tf.tensor2d(data.x, [data.count, data.inputDim]);
    this.y = tf.tensor2d(data.y, [data.count, 1]);
    this.optimizer = makeOptimizer(config.optimizer, config.lr);
    if (config.dropout > 0) this.dropout = new Random(config.seed, STREAMS.dropout);
    this.lossScale = config.loss === 'half-mse' ? 0.5 : 1;
  }

  private loss(keep?: tf.Tensor2D): tf.Scalar {
    return tf.mul(this.lossScale, tf.mean(tf.square(tf.sub(this.model.predict(this.x, keep), this.y))));
  }

  /** The full-batch loss of the current weights, without dropout. */
  evaluate(): number {
    return tf.tidy(() => this.loss().dataSync()[0]);
  }

  step(): void {
    const keep = this.dropout && dropoutMask(this.dropout, this.config.dropout, this.data.count, this.config.width);
    this.optimizer.minimize(() => this.loss(keep));
    keep?.dispose();
  }

  stateDict() {
    return this.model.stateDict();
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
    tf.dispose([this.x, this.y]);
  }
}

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
  const backend = await useBackend(options.backend, searchDirs);
  const writer = new RunWriter(options.out);
  writer.writeManifest({
    name: basename(writer.dir),
    preset: options.preset,
    config,
    backend,
    startedAt: new Date().toISOString(),
  });
  reporter.emit({ type: 'started', run: writer.dir, backend });

  const session = new Session(config, makeDataset(config.dataset, config.seed));
  const speed = new SpeedMeter();
  let lastReport = performance.now();
  let lastYield = performance.now();
  let step = 0;
  try {
    for (;;) {
      const atCheckpoint = isCheckpointStep(step, config);
      const now = performance.now();
      if (atCheckpoint || now - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = now;
        const loss = session.evaluate();
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
      if (step >= config.steps || stop.requested) break;
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
  return { dir: writer.dir, backend, step, stopped: step < config.steps };
}
