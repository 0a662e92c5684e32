// Per-neuron quantities of docs/metrics.md: input vectors, norms, amplitudes, the active set, directions.
import type { Kernels, Mat, MatBuilder } from './kernels/kernels';
import type { RowSource } from './rowSource';

/** A layer's tensors, neuron-major, as read from a checkpoint. */
export interface LayerWeights {
  /** `[N, D_w]` (conv kernels flattened per output channel), read a block of rows at a time. */
  weight: RowSource;
  bias?: Float32Array;
  /**
   * The next layer's weight `[M, N / groups, rest…]` flattened, if there is one; a function is called once the unit
   * rows are on the kernels, so that the layer's own weight can be let go before the next one is read.
   */
  next?: NextWeights | (() => Promise<NextWeights | undefined>);
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

/** Count of NaN and ±Inf values in `values`. */
function nonFiniteIn(values: Float32Array | undefined): number {
  let count = 0;
  if (values) for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) count++;
  return count;
}

/**
 * `v_k / ‖v_k‖` of a block of rows starting at row `first` (zero rows stay zero), `v_k = concat(W[k], b[k])` with the
 * bias when given, written into the start of `into` when given; and `‖v_k‖₂` in float64 into `norms`.
 */
function unitBlock(
  rows: Float32Array,
  first: number,
  bias: Float32Array | undefined,
  dw: number,
  norms: Float64Array,
  into?: Float32Array,
) {
  const count = dw === 0 ? 0 : rows.length / dw;
  const dim = bias ? dw + 1 : dw;
  const out = into?.subarray(0, count * dim) ?? new Float32Array(count * dim);
  for (let r = 0; r < count; r++) {
    const k = first + r;
    let sum = 0;
    for (let c = r * dw; c < (r + 1) * dw; c++) sum += rows[c] * rows[c];
    if (bias) sum += bias[k] * bias[k];
    const norm = (norms[k] = Math.sqrt(sum));
    if (!(norm > 0)) {
      out.fill(0, r * dim, (r + 1) * dim);
      continue;
    }
    for (let c = 0; c < dw; c++) out[r * dim + c] = rows[r * dw + c] / norm;
    if (bias) out[r * dim + dw] = bias[k] / norm;
  }
  return out;
}

/** Called with each block of the weight's rows as it is read (`first`: its first row). */
export type OnRows = (first: number, rows: Float32Array) => void | Promise<void>;

/**
 * The weight's unit rows on the kernels, a block at a time as it is read (no copy of the layer is held outside the
 * kernels), with their norms; or the count of NaN and infinite values in the layer's tensors, which are then read
 * to the end to count them but not analysed.
 */
async function unitRows(kernels: Kernels, w: LayerWeights, includeBias: boolean, onRows?: OnRows) {
  const { rows: n, cols: dw } = w.weight;
  const bias = includeBias ? w.bias : undefined;
  const dim = bias ? dw + 1 : dw;
  const norms = new Float64Array(n);
  let nonFinite = nonFiniteIn(w.bias);
  let builder: MatBuilder | undefined = kernels.build(n, dim);
  // Kernels that copy what they are given take every block through one buffer.
  const largest = builder.blocks.reduce((most, [, count]) => Math.max(most, count), 0);
  const scratch = builder.copies ? new Float32Array(largest * dim) : undefined;
  const drop = () => {
    if (builder) kernels.release(builder.done());
    builder = undefined;
  };
  try {
    for (const [first, count] of builder.blocks) {
      const rows = await w.weight.read(first, count);
      nonFinite += nonFiniteIn(rows);
      await onRows?.(first, rows);
      if (nonFinite > 0) drop();
      builder?.append(unitBlock(rows, first, bias, dw, norms, scratch));
    }
  } catch (e) {
    drop();
    throw e;
  }
  return { units: (builder as MatBuilder | undefined)?.done(), norms, dim, nonFinite };
}

/**
 * The neurons of a layer, its unit directions on the kernels; or, when its tensors hold NaN or infinite values, how
 * many (nothing is left on the kernels then).
 */
export async function computeNeurons(
  kernels: Kernels,
  w: LayerWeights,
  includeBias: boolean,
  activeFraction: number,
  onRows?: OnRows,
): Promise<Neurons | { nonFinite: number }> {
  const { units, norms: norms64, dim, nonFinite } = await unitRows(kernels, w, includeBias, onRows);
  let next: NextWeights | undefined;
  try {
    next = typeof w.next === 'function' ? await w.next() : w.next;
  } catch (e) {
    if (units) kernels.release(units);
    throw e;
  }
  const nonFiniteNext = nonFiniteIn(next?.data);
  if (!units || nonFiniteNext > 0) {
    if (units) kernels.release(units);
    return { nonFinite: nonFinite + nonFiniteNext };
  }
  const n = w.weight.rows;
  const norms = Float32Array.from(norms64);
  const out = next ? outgoingNorms(next, n) : undefined;
  const amplitude = Float64Array.from(norms, (a, k) => (out ? a * out[k] : a));
  const maxA = amplitude.reduce((m, a) => Math.max(m, a), 0);
  const active = Uint8Array.from(amplitude, (a, k) => (norms[k] > 0 && a > 0 && a >= activeFraction * maxA ? 1 : 0));
  const activeOrder = Int32Array.from(
    [...active.keys()].filter((k) => active[k]).sort((i, j) => amplitude[j] - amplitude[i] || i - j),
  );
  return { count: n, inputDim: dim, units, norms, amplitude, active, activeOrder };
}
