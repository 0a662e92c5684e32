// Per-neuron quantities of docs/metrics.md: input vectors, norms, amplitudes, the active set, directions.
import type { Kernels, Mat, RowFill } from './kernels/kernels';

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

/** `‖v_k‖₂` in float64 per neuron, where `v_k = concat(W[k], b[k])` (bias only when given). */
function rowNorms(weight: Float32Array, bias: Float32Array | undefined, n: number, dw: number): Float64Array {
  const norms = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let c = k * dw; c < (k + 1) * dw; c++) s += weight[c] * weight[c];
    if (bias) s += bias[k] * bias[k];
    norms[k] = Math.sqrt(s);
  }
  return norms;
}

/** Writes the unit rows `v_k / ‖v_k‖` of `[from, to)` (zero rows stay zero): the normalisation streamed to the kernels. */
function unitRows(weight: Float32Array, bias: Float32Array | undefined, norms: Float64Array, dw: number): RowFill {
  const dim = bias ? dw + 1 : dw;
  return (from, to, out) => {
    for (let k = from; k < to; k++) {
      const norm = norms[k];
      const at = (k - from) * dim;
      if (!(norm > 0)) {
        out.fill(0, at, at + dim);
        continue;
      }
      for (let c = 0; c < dw; c++) out[at + c] = weight[k * dw + c] / norm;
      if (bias) out[at + dw] = bias[k] / norm;
    }
  };
}

/** The neurons of a layer; its unit directions go to the kernels a block of rows at a time (no copy of `V` is kept). */
export function computeNeurons(
  kernels: Kernels,
  w: LayerWeights,
  includeBias: boolean,
  activeFraction: number,
): Neurons {
  const dw = w.weight.length / w.neurons;
  const bias = includeBias ? w.bias : undefined;
  const dim = bias ? dw + 1 : dw;
  const norms64 = rowNorms(w.weight, bias, w.neurons, dw);
  const units = kernels.uploadRows(w.neurons, dim, unitRows(w.weight, bias, norms64, dw));
  const norms = Float32Array.from(norms64);
  const out = w.next ? outgoingNorms(w.next, w.neurons) : undefined;
  const amplitude = Float64Array.from(norms, (n, k) => (out ? n * out[k] : n));
  const maxA = amplitude.reduce((m, a) => Math.max(m, a), 0);
  const active = Uint8Array.from(amplitude, (a, k) => (norms[k] > 0 && a > 0 && a >= activeFraction * maxA ? 1 : 0));
  const activeOrder = Int32Array.from(
    [...active.keys()].filter((k) => active[k]).sort((i, j) => amplitude[j] - amplitude[i] || i - j),
  );
  return { count: w.neurons, inputDim: dim, units, norms, amplitude, active, activeOrder };
}
