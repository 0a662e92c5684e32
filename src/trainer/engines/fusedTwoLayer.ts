// The two-layer presets without per-op dispatch: closed-form gradients over typed arrays, one pass per step.
// It draws the init, data and dropout masks from the same seeded streams in the same order as the TF.js path,
// so both follow the same trajectory (within float32 rounding), and it is bit-identical from run to run.
import type { NamedTensor } from '../../core/formats/safetensorsWriter';
import type { Dataset } from '../data';
import { initScale } from '../initScale';
import type { TrainConfig } from '../presets';
import { Random, STREAMS } from '../random';
import type { StepEngine } from './stepEngine';

/** Adam with PyTorch's defaults, as the TF.js path uses them. */
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

interface AdamState {
  /** First and second moments of fc1.weight, fc1.bias and fc2.weight, in that order. */
  m: Float64Array[];
  v: Float64Array[];
  t: number;
}

/** One Adam update of one parameter; `c1`, `c2` are the bias corrections 1 − β^t. */
function adamStep(value: number, grad: number, s: AdamState, p: number, i: number, lr: number, c1: number, c2: number) {
  const mom = (s.m[p][i] = ADAM.beta1 * s.m[p][i] + (1 - ADAM.beta1) * grad);
  const vel = (s.v[p][i] = ADAM.beta2 * s.v[p][i] + (1 - ADAM.beta2) * grad * grad);
  return value - (lr * (mom / c1)) / (Math.sqrt(vel / c2) + ADAM.epsilon);
}

export class FusedTwoLayer implements StepEngine {
  readonly name = 'fused';
  private readonly m: number;
  private readonly d: number;
  private readonly n: number;
  /** fc1.weight [m, d], fc1.bias [m], fc2.weight [1, m]: float32, as checkpoints store them. */
  private readonly w: Float32Array;
  private readonly b: Float32Array;
  private readonly a: Float32Array;
  /** One neuron's input-weight gradient [d]. */
  private readonly gw: Float64Array;
  /** Pre-activations of the forward pass [n, m], reused by the backward pass. */
  private readonly pre: Float64Array;
  private readonly keep?: Float32Array;
  private readonly residual: Float64Array;
  private readonly dropout?: Random;
  private readonly adam?: AdamState;
  private readonly lossScale: number;
  private readonly outScale: number;

  constructor(
    private readonly config: TrainConfig,
    private readonly data: Dataset,
  ) {
    const m = (this.m = config.width);
    const d = (this.d = data.inputDim);
    const n = (this.n = data.count);
    const scale = initScale(config);
    const random = new Random(config.seed, STREAMS.init);
    this.w = random.normals(m * d, scale.input);
    this.b = random.normals(m, scale.input);
    this.a = random.normals(m, scale.output);
    this.gw = new Float64Array(d);
    this.pre = new Float64Array(n * m);
    this.residual = new Float64Array(n);
    if (config.dropout > 0) {
      this.dropout = new Random(config.seed, STREAMS.dropout);
      this.keep = new Float32Array(n * m);
    }
    if (config.optimizer === 'adam') {
      const zeros = () => [m * d, m, m].map((size) => new Float64Array(size));
      this.adam = { m: zeros(), v: zeros(), t: 0 };
    }
    this.lossScale = config.loss === 'half-mse' ? 0.5 : 1;
    this.outScale = 1 / scale.alpha;
  }

  /** f for every point into `residual` as f − y; returns the loss. `keep` scales the hidden units. */
  private forward(keep: Float32Array | undefined): number {
    const { m, d, n, w, b, a, pre, residual, data } = this;
    const tanh = this.config.activation === 'tanh';
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      const row = i * m;
      for (let k = 0; k < m; k++) {
        let z = b[k];
        for (let j = 0; j < d; j++) z += w[k * d + j] * data.x[i * d + j];
        const h = tanh ? Math.tanh(z) : z > 0 ? z : 0;
        pre[row + k] = z;
        f += a[k] * (keep ? h * keep[row + k] : h);
      }
      const r = f * this.outScale - data.y[i];
      residual[i] = r;
      loss += r * r;
    }
    return (this.lossScale * loss) / n;
  }

  evaluate(): number {
    return Math.fround(this.forward(undefined));
  }

  step(): void {
    const keep = this.keep && this.drawMask(this.keep);
    this.forward(keep);
    this.backwardAndUpdate(keep);
  }

  /** Inverted dropout: the TF.js path's mask, drawn in the same row-major order. */
  private drawMask(mask: Float32Array): Float32Array {
    const p = this.config.dropout;
    const scale = Math.fround(1 / (1 - p));
    for (let i = 0; i < mask.length; i++) mask[i] = this.dropout!.uniform() >= p ? scale : 0;
    return mask;
  }

  /**
   * The gradient of each neuron's weights and, at once, its update: a neuron's gradient needs only the residuals
   * of the forward pass, so one pass over the neurons does both (no gradient buffers).
   */
  private backwardAndUpdate(keep: Float32Array | undefined): void {
    const { m, d, n, w, b, a, pre, residual, data, gw } = this;
    const tanh = this.config.activation === 'tanh';
    const lr = this.config.lr;
    const adam = this.adam;
    const g0 = (2 * this.lossScale * this.outScale) / n;
    let c1 = 1;
    let c2 = 1;
    if (adam) {
      adam.t++;
      c1 = 1 - ADAM.beta1 ** adam.t;
      c2 = 1 - ADAM.beta2 ** adam.t;
    }
    for (let k = 0; k < m; k++) {
      let ga = 0;
      let gb = 0;
      for (let j = 0; j < d; j++) gw[j] = 0;
      const ak = a[k];
      for (let i = 0; i < n; i++) {
        const z = pre[i * m + k];
        const keepIk = keep ? keep[i * m + k] : 1;
        const g = g0 * residual[i];
        let h: number;
        let slope: number;
        if (tanh) {
          h = Math.tanh(z);
          slope = 1 - h * h;
        } else {
          h = z > 0 ? z : 0;
          slope = z > 0 ? 1 : 0;
        }
        ga += g * h * keepIk;
        const gz = g * ak * slope * keepIk;
        if (gz === 0) continue;
        gb += gz;
        for (let j = 0; j < d; j++) gw[j] += gz * data.x[i * d + j];
      }
      if (adam) {
        for (let j = 0; j < d; j++) w[k * d + j] = adamStep(w[k * d + j], gw[j], adam, 0, k * d + j, lr, c1, c2);
        b[k] = adamStep(b[k], gb, adam, 1, k, lr, c1, c2);
        a[k] = adamStep(ak, ga, adam, 2, k, lr, c1, c2);
      } else {
        for (let j = 0; j < d; j++) w[k * d + j] -= lr * gw[j];
        b[k] -= lr * gb;
        a[k] = ak - lr * ga;
      }
    }
  }

  stateDict(): NamedTensor[] {
    return [
      { name: 'fc1.weight', shape: [this.m, this.d], data: Float32Array.from(this.w) },
      { name: 'fc1.bias', shape: [this.m], data: Float32Array.from(this.b) },
      { name: 'fc2.weight', shape: [1, this.m], data: Float32Array.from(this.a) },
    ];
  }

  dispose(): void {}
}
