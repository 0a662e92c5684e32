// The two-layer network of the presets, f(x) = Σ_k a_k·σ(w_k·x + b_k), as TF.js variables in
// PyTorch layout so that checkpoints read like a torch state dict.
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../core/formats/safetensorsWriter';
import type { InitScale } from './initScale';
import type { Activation } from './presets';
import type { Random } from './random';

export class TwoLayerNet {
  /** fc1.weight [m, d_in]: row k is neuron k's input weights w_k. */
  private readonly fc1Weight: tf.Variable<tf.Rank.R2>;
  /** fc1.bias [m]. */
  private readonly fc1Bias: tf.Variable<tf.Rank.R1>;
  /** fc2.weight [1, m]: the output weights a_k (no output bias, as in the papers). */
  private readonly fc2Weight: tf.Variable<tf.Rank.R2>;

  /** Draws fc1.weight, fc1.bias (std `scale.input`), then fc2.weight (std `scale.output`), in that order. */
  constructor(
    readonly inputDim: number,
    readonly width: number,
    private readonly scale: InitScale,
    private readonly activation: Activation,
    random: Random,
  ) {
    this.fc1Weight = tf.variable(tf.tensor2d(random.normals(width * inputDim, scale.input), [width, inputDim]));
    this.fc1Bias = tf.variable(tf.tensor1d(random.normals(width, scale.input)));
    this.fc2Weight = tf.variable(tf.tensor2d(random.normals(width, scale.output), [1, width]));
  }

  /** Outputs [n, 1] for inputs [n, d_in]; `keep` [n, m] scales the hidden units (dropout). */
  predict(x: tf.Tensor2D, keep?: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy((): tf.Tensor2D => {
      const pre = tf.add(tf.matMul(x, this.fc1Weight, false, true), this.fc1Bias);
      const hidden = this.activation === 'relu' ? tf.relu(pre) : tf.tanh(pre);
      const out: tf.Tensor2D = tf.matMul(keep ? tf.mul(hidden, keep) : hidden, this.fc2Weight, false, true);
      return this.scale.alpha === 1 ? out : tf.mul(out, 1 / this.scale.alpha);
    });
  }

  /** The weights as a PyTorch state dict would name and shape them. */
  stateDict(): NamedTensor[] {
    const named: [string, tf.Variable][] = [
      ['fc1.weight', this.fc1Weight],
      ['fc1.bias', this.fc1Bias],
      ['fc2.weight', this.fc2Weight],
    ];
    return named.map(([name, v]) => ({ name, shape: v.shape, data: Float32Array.from(v.dataSync()) }));
  }

  dispose(): void {
    for (const v of [this.fc1Weight, this.fc1Bias, this.fc2Weight]) v.dispose();
  }
}
