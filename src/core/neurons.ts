// Per-neuron quantities of docs/metrics.md: input vectors, norms, amplitudes, the active set, directions.
import type { Kernels, Mat } from './kernels/kernels';

/** A layer's raw tensors, neuron-major, as read from a checkpoint. */
export interface LayerWeights {
  /** `[N, D_w]` row-major (conv kernels flattened per output channel). */
  weight: Float32Array;
  neurons: number;
  /** The next layer's weight `[M, N / groups, rest…]` flattened, if there is one. */
  next?: NextWeights;
  bias?: Float32Array;
}

export interface Neurons {
  count: number;
  inputDim: number;
  /** The unit directions `u_k` (zero rows where the norm is 0) `[N, inputDim]`: the one copy the kernels hold. */
  units: Mat;
  /** The rows of `V` in JS memory (for the 1-D/2-D orientation and the heatmap's block sums). */
  raw: Float32Array;
  norms: Float32Array;
  amplitude: Float64Array;
  active: Uint8Array;
  /** Active neurons by amplitude descending, ties by index ascending. */
  activeOrder: Int32Array;
}

export interface NextWeights {
  data: Float32Array;
  shape: readonly number[];
  /** A grouped or depthwise conv: group g reads inputs `[g·N/groups, (g+1)·N/groups)` (1 when absent). */
  groups?: number;
}

/** `‖W'[:, k, …]‖₂` per neuron k (within k's group for a grouped conv): the outgoing weight norms. */
export function outgoingNorms(next: NextWeights, n: number): Float64Array {
  const rest = next.shape.slice(2).reduce((a, b) => a * b, 1);
  const perGroupIn = next.shape[1];
  const perGroupOut = next.shape[0] / (next.groups ?? 1);
  const sums = new Float64Array(n);
  for (let i = 0; i < next.data.length; i++) {
    const row = Math.floor(i / rest);
    const o = Math.floor(row / perGroupIn);
    const k = Math.floor(o / perGroupOut) * perGroupIn + (row % perGroupIn);
    sums[k] += next.data[i] * next.data[i];
  }
  return sums.map(Math.sqrt);
}

/** Count of NaN and ±Inf values among a layer's tensors. */
export function countNonFinite(w: LayerWeights): number {
  let count = 0;
  for (const arr of [w.weight, w.bias, w.next?.data]) {
    if (!arr) continue;
    for (let i = 0; i < arr.length; i++) if (!Number.isFinite(arr[i])) count++;
  }
  return count;
}

/** `v_k = concat(W[k], b[k])` rows (bias only when present and wanted). */
function inputVectors(w: LayerWeights, includeBias: boolean): { data: Float32Array; dim: number } {
  const dw = w.weight.length / w.neurons;
  if (!includeBias || !w.bias) return { data: w.weight, dim: dw };
  const dim = dw + 1;
  const data = new Float32Array(w.neurons * dim);
  for (let k = 0; k < w.neurons; k++) {
    data.set(w.weight.subarray(k * dw, (k + 1) * dw), k * dim);
    data[k * dim + dw] = w.bias[k];
  }
  return { data, dim };
}

/** Row norms in float64 and a normalised copy of the rows (zero rows stay zero). */
function unitRows(data: Float32Array, n: number, dim: number): { norms: Float32Array; units: Float32Array } {
  const norms = new Float32Array(n);
  const units = new Float32Array(data.length);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let c = k * dim; c < (k + 1) * dim; c++) s += data[c] * data[c];
    const norm = Math.sqrt(s);
    norms[k] = norm;
    if (norm > 0) for (let c = k * dim; c < (k + 1) * dim; c++) units[c] = data[c] / norm;
  }
  return { norms, units };
}

export function computeNeurons(
  kernels: Kernels,
  w: LayerWeights,
  includeBias: boolean,
  activeFraction: number,
): Neurons {
  const { data, dim } = inputVectors(w, includeBias);
  const rows = unitRows(data, w.neurons, dim);
  const units = kernels.upload(rows.units, w.neurons, dim);
  const norms = rows.norms;
  const out = w.next ? outgoingNorms(w.next, w.neurons) : undefined;
  const amplitude = Float64Array.from(norms, (n, k) => (out ? n * out[k] : n));
  const maxA = amplitude.reduce((m, a) => Math.max(m, a), 0);
  const active = Uint8Array.from(amplitude, (a, k) => (norms[k] > 0 && a > 0 && a >= activeFraction * maxA ? 1 : 0));
  const activeOrder = Int32Array.from(
    [...active.keys()].filter((k) => active[k]).sort((i, j) => amplitude[j] - amplitude[i] || i - j),
  );
  return { count: w.neurons, inputDim: dim, units, raw: data, norms, amplitude, active, activeOrder };
}
