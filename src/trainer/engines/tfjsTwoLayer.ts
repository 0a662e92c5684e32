// The two-layer presets on TensorFlow.js: the general path, and the one that uses native or GPU backends.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data';
import { initScale } from '../initScale';
import { TwoLayerNet } from '../model';
import type { OptimizerName, TrainConfig } from '../presets';
import { Random, STREAMS } from '../random';
import type { StepEngine } from './stepEngine';

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

/** The model, its data and optimizer as TF.js tensors: one full-batch step at a time. */
export class TfjsTwoLayer implements StepEngine {
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
      initScale(config),
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
