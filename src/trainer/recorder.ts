// `condensation-lens/recorder`: a TF.js fit callback that writes a run folder (docs/formats.md) from a
// user's own `model.fit`, so that the extension can watch any TF.js training live.
import * as tf from '@tensorflow/tfjs';
import { basename } from 'node:path';
import type { NamedTensor } from '../core/formats/safetensorsWriter';
import { kerasKernelOrder } from '../core/layers/views';
import { RUN_DIR_VARIABLE } from '../protocol/runFolder';
import { RunWriter } from './runFolder';

export interface CondensationCallbackOptions {
  /** Run folder; defaults to $CONDENSATION_LENS_RUN_DIR (set when the extension launches a script). */
  dir?: string;
  /** A checkpoint and a metrics line every this many batches (optimizer steps); default 1. */
  every?: number;
}

type Logs = Record<string, number | tf.Scalar>;

/**
 * The model's weights under PyTorch-style names: `<layer>.weight` for kernels (transposed to
 * neuron-major), `<layer>.bias`, and `<layer>.<name>` for any other weight.
 */
export function kerasStateDict(model: tf.LayersModel): NamedTensor[] {
  return model.weights.map((w) => {
    // originalName: TF.js suffixes `name` (`kernel_1`) when another model reused the layer name.
    const cut = w.originalName.lastIndexOf('/');
    const layer = w.originalName.slice(0, cut).replace(/\//g, '.');
    const kind = w.originalName.slice(cut + 1);
    const value = w.read();
    if (kind !== 'kernel' || value.rank < 2)
      return { name: `${layer}.${kind}`, shape: value.shape, data: Float32Array.from(value.dataSync()) };
    const transposed = tf.transpose(value, kerasKernelOrder(value.rank));
    const data = Float32Array.from(transposed.dataSync());
    transposed.dispose();
    return { name: `${layer}.weight`, shape: transposed.shape, data };
  });
}

/** Batch bookkeeping that fit() puts in the logs: not a metric. */
const NOT_METRICS = new Set(['batch', 'size']);

async function resolveLogs(logs: Logs | undefined): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(logs ?? {})) {
    if (!NOT_METRICS.has(key)) out[key] = typeof value === 'number' ? value : (await value.data())[0];
  }
  return out;
}

/** Records checkpoints every `every` batches, at the start and at the end of training. */
class CondensationRecorder extends tf.Callback {
  private writer?: RunWriter;
  private step = 0;
  private epoch = 0;
  private lastWritten = -1;
  private lastLogs: Record<string, number> = {};

  constructor(
    private readonly dir: string,
    private readonly every: number,
  ) {
    super();
  }

  private record(): void {
    if (!this.writer || this.lastWritten === this.step) return;
    const loss = this.lastLogs.loss;
    // Before the first batch there is no loss yet: the checkpoint has none and no metrics line.
    const lossEntry: Record<string, string> = loss === undefined ? {} : { loss: String(loss) };
    this.writer.writeCheckpoint(this.step, kerasStateDict(this.model), { epoch: String(this.epoch), ...lossEntry });
    if (loss !== undefined) this.writer.appendMetrics({ ...this.lastLogs, step: this.step, epoch: this.epoch, loss });
    this.lastWritten = this.step;
  }

  override async onTrainBegin(): Promise<void> {
    // A second fit() with the same callback continues the same run.
    if (this.writer) return;
    this.writer = new RunWriter(this.dir);
    this.writer.writeManifest({
      name: basename(this.writer.dir),
      preset: 'custom',
      config: { every: this.every },
      backend: tf.getBackend(),
      startedAt: new Date().toISOString(),
    });
    this.record();
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch + 1;
  }

  override async onBatchEnd(_batch: number, logs?: Logs): Promise<void> {
    this.step++;
    this.lastLogs = await resolveLogs(logs);
    if (this.step % this.every === 0) this.record();
  }

  override async onTrainEnd(): Promise<void> {
    this.record();
  }
}

/**
 * A callback for `model.fit` that writes a run folder the extension and `condensation-lens
 * analyze` read: `checkpoints/step-NNNNNN.safetensors` every `every` batches (plus the start and
 * the end), `metrics.jsonl` with the batch's logs, and `run.json`. Each checkpoint's `loss` is
 * the loss `fit` reports for the batch that led to it.
 */
export function condensationCallback(options: CondensationCallbackOptions = {}): tf.Callback {
  const dir = options.dir ?? process.env[RUN_DIR_VARIABLE];
  if (!dir) throw new Error(`condensationCallback: give { dir } or set ${RUN_DIR_VARIABLE} to the run folder`);
  const every = options.every ?? 1;
  if (!(Number.isInteger(every) && every >= 1))
    throw new RangeError(`condensationCallback: every must be a whole number ≥ 1, got ${every}`);
  return new CondensationRecorder(dir, every);
}
