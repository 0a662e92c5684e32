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

export class FusedTwoLayer implements StepEngine {
  readonly name = 'fused';
  private readonly m: number;
  private readonly d: number;
  private readonly n: number;
  /** fc1.weight [m, d], fc1.bias [m], fc2.weight [1, m]: float32, as checkpoints store them. */
  private readonly w: Float32Array;
  private readonly b: Float32Array;
  private readonly a: Float32Array;
  private readonly gw: Float64Array;
  private readonly gb: Float64Array;
  private readonly ga: Float64Array;
  /** Pre-activations and activations of the forward pass [n, m], reused by the backward pass. */
  private readonly pre: Float64Array;
  private readonly hidden: Float64Array;
  private readonly keep?: Float32Array;
  private readonly residual: Float64Array;
  private readonly dropout?: Random;
  private readonly adam?: { m: Float64Array[]; v: Float64Array[]; t: number };
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
    [this.gw, this.gb, this.ga] = [m * d, m, m].map((size) => new Float64Array(size));
    this.pre = new Float64Array(n * m);
    this.hidden = new Float64Array(n * m);
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
    const { m, d, n, w, b, a, pre, hidden, residual, data } = this;
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
        hidden[row + k] = keep ? h * keep[row + k] : h;
        f += a[k] * hidden[row + k];
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
    this.backward(keep);
    this.update();
  }

  /** Inverted dropout: the TF.js path's mask, drawn in the same row-major order. */
  private drawMask(mask: Float32Array): Float32Array {
    const p = this.config.dropout;
    const scale = Math.fround(1 / (1 - p));
    for (let i = 0; i < mask.length; i++) mask[i] = this.dropout!.uniform() >= p ? scale : 0;
    return mask;
  }

  private backward(keep: Float32Array | undefined): void {
    const { m, d, n, a, pre, hidden, residual, gw, gb, ga, data } = this;
    const tanh = this.config.activation === 'tanh';
    gw.fill(0);
    gb.fill(0);
    ga.fill(0);
    const g0 = (2 * this.lossScale * this.outScale) / n;
    for (let i = 0; i < n; i++) {
      const g = g0 * residual[i];
      const row = i * m;
      for (let k = 0; k < m; k++) {
        ga[k] += g * hidden[row + k];
        const z = pre[row + k];
        let slope = tanh ? 1 - Math.tanh(z) ** 2 : z > 0 ? 1 : 0;
        if (keep) slope *= keep[row + k];
        const gz = g * a[k] * slope;
        if (gz === 0) continue;
        gb[k] += gz;
        for (let j = 0; j < d; j++) gw[k * d + j] += gz * data.x[i * d + j];
      }
    }
  }

  private update(): void {
    const params = [this.w, this.b, this.a];
    const grads = [this.gw, this.gb, this.ga];
    const lr = this.config.lr;
    if (!this.adam) {
      for (let p = 0; p < 3; p++) for (let i = 0; i < params[p].length; i++) params[p][i] -= lr * grads[p][i];
      return;
    }
    const { beta1, beta2, epsilon } = ADAM;
    const t = ++this.adam.t;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let p = 0; p < 3; p++) {
      const [param, grad, mom, vel] = [params[p], grads[p], this.adam.m[p], this.adam.v[p]];
      for (let i = 0; i < param.length; i++) {
        mom[i] = beta1 * mom[i] + (1 - beta1) * grad[i];
        vel[i] = beta2 * vel[i] + (1 - beta2) * grad[i] * grad[i];
        param[i] -= (lr * (mom[i] / c1)) / (Math.sqrt(vel[i] / c2) + epsilon);
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
