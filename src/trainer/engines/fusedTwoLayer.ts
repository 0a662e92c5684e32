// The two-layer presets without per-op dispatch: closed-form gradients over typed arrays, one pass per step.
// A pass over the neurons updates each one from the residuals of the current forward pass and, with its new
// weights, adds its share to the next forward pass, so the residuals of the next step are ready at its end.
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

/**
 * Where the points (sorted x) with b + w·x > 0 begin or end: for w > 0 they are [bound, n), otherwise [0, bound)
 * (w = 0: all or none). The test is the one the general step makes, point by point, so both agree on who is active.
 */
function activeBound(w: number, b: number, xs: Float64Array): number {
  const n = xs.length;
  if (w === 0) return b > 0 ? n : 0;
  let j = 0;
  if (w > 0) while (j < n && !(b + w * xs[j] > 0)) j++;
  else while (j < n && b + w * xs[j] > 0) j++;
  return j;
}

/** What stepScalarRelu keeps between steps: the points in x order, and its sums. */
interface SortedPoints {
  xs: Float64Array;
  /** order[s]: the point at rank s. */
  order: Int32Array;
  g: Float64Array;
  gx: Float64Array;
  sumG: Float64Array;
  sumGx: Float64Array;
  /** Per rank j, the constant and the slope of the neurons active from j on, or before j (2 values each). */
  fromStart: Float64Array;
  fromEnd: Float64Array;
}

function sortedPoints(x: Float32Array): SortedPoints {
  const n = x.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((p, q) => x[p] - x[q] || p - q);
  const zeros = (size: number) => new Float64Array(size);
  return {
    xs: Float64Array.from(order, (i) => x[i]),
    order,
    g: zeros(n),
    gx: zeros(n),
    sumG: zeros(n + 1),
    sumGx: zeros(n + 1),
    fromStart: zeros(2 * (n + 1)),
    fromEnd: zeros(2 * (n + 1)),
  };
}

export class FusedTwoLayer implements StepEngine {
  private readonly m: number;
  private readonly d: number;
  private readonly n: number;
  /** fc1.weight [m, d], fc1.bias [m], fc2.weight [1, m]: float32, as checkpoints store them. */
  private readonly w: Float32Array;
  private readonly b: Float32Array;
  private readonly a: Float32Array;
  /** One neuron's input-weight gradient [d]. */
  private readonly gw: Float64Array;
  /** Pre-activations of the pending forward pass, neuron-major [m, n]. */
  private readonly pre: Float64Array;
  /** f − y of the pending forward pass [n], and the next one's outputs as they are summed. */
  private readonly residual: Float64Array;
  private readonly nextOut: Float64Array;
  /** Dropout masks of the pending step and of the one after, neuron-major [m, n]. */
  private keep?: Float32Array;
  private nextKeep?: Float32Array;
  private readonly dropout?: Random;
  private readonly adam?: AdamState;
  private readonly lossScale: number;
  private readonly outScale: number;
  /** Whether the run fits stepScalarRelu, and the points in x order it keeps. */
  private readonly scalarRelu: boolean;
  private readonly sorted?: SortedPoints;

  /** `kernel: 'general'` makes every run take the general step (to test the specialised one against it). */
  constructor(
    private readonly config: TrainConfig,
    private readonly data: Dataset,
    kernel: 'auto' | 'general' = 'auto',
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
    this.pre = new Float64Array(m * n);
    this.residual = new Float64Array(n);
    this.nextOut = new Float64Array(n);
    if (config.optimizer === 'adam') {
      const zeros = () => [m * d, m, m].map((size) => new Float64Array(size));
      this.adam = { m: zeros(), v: zeros(), t: 0 };
    }
    this.lossScale = config.loss === 'half-mse' ? 0.5 : 1;
    this.outScale = 1 / scale.alpha;
    this.scalarRelu =
      kernel === 'auto' &&
      d === 1 &&
      config.activation === 'relu' &&
      config.optimizer === 'sgd' &&
      config.dropout === 0;
    if (this.scalarRelu) this.sorted = sortedPoints(data.x);
    if (config.dropout > 0) {
      this.dropout = new Random(config.seed, STREAMS.dropout);
      this.keep = this.drawMask(new Float32Array(m * n));
      this.nextKeep = new Float32Array(m * n);
    }
    this.firstForward();
  }

  /** Inverted dropout: the TF.js path's [n, m] mask, drawn in its row-major order, stored neuron-major. */
  private drawMask(mask: Float32Array): Float32Array {
    const { m, n } = this;
    const p = this.config.dropout;
    const scale = Math.fround(1 / (1 - p));
    for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) mask[k * n + i] = this.dropout!.uniform() >= p ? scale : 0;
    return mask;
  }

  /** The pre-activations and residuals of the first step. */
  private firstForward(): void {
    const { m, d, n, w, b, a, pre, data, keep } = this;
    const tanh = this.config.activation === 'tanh';
    const out = this.nextOut.fill(0);
    for (let k = 0; k < m; k++) {
      for (let i = 0; i < n; i++) {
        let z = b[k];
        for (let j = 0; j < d; j++) z += w[k * d + j] * data.x[i * d + j];
        pre[k * n + i] = z;
        const h = tanh ? Math.tanh(z) : z > 0 ? z : 0;
        out[i] += a[k] * (keep ? h * keep[k * n + i] : h);
      }
    }
    this.takeResiduals();
  }

  private takeResiduals(): void {
    for (let i = 0; i < this.n; i++) this.residual[i] = this.nextOut[i] * this.outScale - this.data.y[i];
  }

  /** The full-batch loss without dropout, from the weights (the pending pass is left as it is). */
  evaluate(): number {
    const { m, d, n, w, b, a, data } = this;
    const tanh = this.config.activation === 'tanh';
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let k = 0; k < m; k++) {
        let z = b[k];
        for (let j = 0; j < d; j++) z += w[k * d + j] * data.x[i * d + j];
        f += a[k] * (tanh ? Math.tanh(z) : z > 0 ? z : 0);
      }
      const r = f * this.outScale - data.y[i];
      loss += r * r;
    }
    return Math.fround((this.lossScale * loss) / n);
  }

  step(): void {
    if (this.scalarRelu) this.stepScalarRelu();
    else this.stepGeneral();
    this.takeResiduals();
  }

  /**
   * The JMLR setup (1-D input, ReLU, plain gradient descent, no dropout), the one sweeps and phase diagrams run
   * most. With one input, the points where a neuron is active (b + w·x > 0) are a prefix or a suffix of the points
   * in x order, so its gradient needs two sums over that run of points (prefix sums: Σg and Σg·x), and its share of
   * the next forward pass is a constant and a slope added to that run: a few operations per neuron, whatever n is.
   */
  private stepScalarRelu(): void {
    const { m, w, b, a, n, residual } = this;
    const { xs, order, g, gx, sumG, sumGx, fromStart, fromEnd } = this.sorted!;
    const lr = this.config.lr;
    const g0 = (2 * this.lossScale * this.outScale) / n;
    sumG[0] = 0;
    sumGx[0] = 0;
    for (let s = 0; s < n; s++) {
      g[s] = g0 * residual[order[s]];
      gx[s] = g[s] * xs[s];
      sumG[s + 1] = sumG[s] + g[s];
      sumGx[s + 1] = sumGx[s] + gx[s];
    }
    fromStart.fill(0);
    fromEnd.fill(0);
    for (let k = 0; k < m; k++) {
      const wk = w[k];
      const bk = b[k];
      const ak = a[k];
      const bound = activeBound(wk, bk, xs);
      const s0 = wk > 0 ? sumG[n] - sumG[bound] : sumG[bound];
      const s1 = wk > 0 ? sumGx[n] - sumGx[bound] : sumGx[bound];
      w[k] = wk - lr * ak * s1;
      b[k] = bk - lr * ak * s0;
      a[k] = ak - lr * (bk * s0 + wk * s1);
      const w1 = w[k];
      const at = activeBound(w1, b[k], xs);
      // Active from `at` on (w > 0), or before `at`: the neuron adds a·b + a·w·x on that run of points.
      const side = w1 > 0 ? fromStart : fromEnd;
      side[2 * at] += a[k] * b[k];
      side[2 * at + 1] += a[k] * w1;
    }
    // fromStart[j]: neurons active on [j, n); fromEnd[j]: neurons active on [0, j).
    let c0 = 0;
    let c1 = 0;
    for (let j = 1; j <= n; j++) {
      c0 += fromEnd[2 * j];
      c1 += fromEnd[2 * j + 1];
    }
    for (let s = 0; s < n; s++) {
      c0 += fromStart[2 * s];
      c1 += fromStart[2 * s + 1];
      this.nextOut[order[s]] = c0 + c1 * xs[s];
      c0 -= fromEnd[2 * (s + 1)];
      c1 -= fromEnd[2 * (s + 1) + 1];
    }
  }

  /** One update of every neuron, and the next step's forward pass, in one pass over the neurons. */
  private stepGeneral(): void {
    const { m, d, n, w, b, a, pre, residual, gw, adam } = this;
    const x = this.data.x;
    const tanh = this.config.activation === 'tanh';
    const lr = this.config.lr;
    const keep = this.keep;
    const nextKeep = this.nextKeep && this.drawMask(this.nextKeep);
    const out = this.nextOut.fill(0);
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
        const z = pre[k * n + i];
        if (!tanh && z <= 0) continue;
        const keepIk = keep ? keep[k * n + i] : 1;
        const g = g0 * residual[i] * keepIk;
        const h = tanh ? Math.tanh(z) : z;
        ga += g * h;
        const gz = g * ak * (tanh ? 1 - h * h : 1);
        gb += gz;
        for (let j = 0; j < d; j++) gw[j] += gz * x[i * d + j];
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
      // Neuron k's share of the next forward pass, with its new weights.
      const bk = b[k];
      const ak1 = a[k];
      for (let i = 0; i < n; i++) {
        let z = bk;
        for (let j = 0; j < d; j++) z += w[k * d + j] * x[i * d + j];
        pre[k * n + i] = z;
        const h = tanh ? Math.tanh(z) : z > 0 ? z : 0;
        out[i] += ak1 * (nextKeep ? h * nextKeep[k * n + i] : h);
      }
    }
    if (nextKeep) [this.keep, this.nextKeep] = [nextKeep, keep];
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
