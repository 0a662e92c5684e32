// TensorFlow.js kernels: run on whichever backend engineBackend() chose (native, wasm or cpu).
import * as tf from '@tensorflow/tfjs';
import type { Kernels, Mat } from './kernels';

/**
 * Holds only the transpose `Mᵀ` (one copy of the layer): every product is then a plain matMul with `Mᵀ` on the
 * right, since matMul with transposeB is an order of magnitude slower on wasm.
 */
class TfMat implements Mat {
  readonly tt: tf.Tensor2D;
  constructor(
    data: Float32Array,
    readonly rows: number,
    readonly cols: number,
  ) {
    this.tt = tf.tidy(() => tf.transpose(tf.tensor2d(data, [rows, cols])));
  }
  dispose(): void {
    this.tt.dispose();
  }
}

function asTf(m: Mat): TfMat {
  return m as TfMat;
}

function row(v: Float32Array): tf.Tensor2D {
  return tf.tensor2d(v, [1, v.length]);
}

/** The values of `compute()`'s result; every tensor it makes is freed, the result too, even when it throws. */
function values(compute: () => tf.Tensor): Float32Array {
  const result = tf.tidy(compute);
  try {
    return result.dataSync() as Float32Array;
  } finally {
    result.dispose();
  }
}

/** The wasm backend's own view of a tensor's values (no copy), valid until its next allocation; else undefined. */
function heapView(t: tf.Tensor): Float32Array | undefined {
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (t: tf.TensorInfo) => Float32Array };
  return tf.getBackend() === 'wasm' && backend.typedArrayFromHeap ? backend.typedArrayFromHeap(t) : undefined;
}

/**
 * M's rows `index` (Mᵀ's columns), `[index.length × m.cols]` when `asRows`, else `[m.cols × index.length]`. On wasm
 * they are copied straight from its heap: its gather along Mᵀ's columns costs about as much as the product they feed.
 */
function pickRows(a: TfMat, index: Int32Array, asRows: boolean): tf.Tensor2D {
  const heap = heapView(a.tt);
  if (!heap) {
    const picked = tf.gather(a.tt, tf.tensor1d(index, 'int32'), 1);
    return asRows ? tf.transpose(picked) : picked;
  }
  const k = index.length;
  const out = new Float32Array(k * a.cols);
  for (let d = 0; d < a.cols; d++) {
    const from = d * a.rows;
    if (asRows) for (let r = 0; r < k; r++) out[r * a.cols + d] = heap[from + index[r]];
    else for (let r = 0; r < k; r++) out[d * k + r] = heap[from + index[r]];
  }
  return asRows ? tf.tensor2d(out, [k, a.cols]) : tf.tensor2d(out, [a.cols, k]);
}

/** Beyond this share of the rows, products with all of `Mᵀ` beat gathering a copy of the columns asked for. */
const GATHER_SHARE = 0.5;

/** The rows gathered for one product hold at most this many values (two copies: this thread's and the backend's). */
const GATHER_VALUES = 2 ** 22;

/** Products of `k` rows made by `left()` with the rows `cols` of `m` (every row when absent): `[k × cols]`. */
function products(m: Mat, k: number, left: () => tf.Tensor2D, cols?: Int32Array): Float32Array {
  const a = asTf(m);
  if (cols === undefined || cols.length > GATHER_SHARE * a.rows) {
    const out = values(() => tf.matMul(left(), a.tt));
    if (cols === undefined) return out;
    const picked = new Float32Array(k * cols.length);
    for (let r = 0; r < k; r++)
      for (let j = 0; j < cols.length; j++) picked[r * cols.length + j] = out[r * a.rows + cols[j]];
    return picked;
  }
  // The rows asked for, gathered a slice at a time so that their copies stay small.
  const out = new Float32Array(k * cols.length);
  const step = Math.max(1, Math.floor(GATHER_VALUES / a.cols));
  const l = tf.tidy(left);
  try {
    for (let from = 0; from < cols.length; from += step) {
      const slice = cols.subarray(from, from + step);
      const part = values(() => tf.matMul(l, pickRows(a, slice, false)));
      for (let r = 0; r < k; r++)
        out.set(part.subarray(r * slice.length, (r + 1) * slice.length), r * cols.length + from);
    }
  } finally {
    l.dispose();
  }
  return out;
}

/** The rows `index` of `m`, row-major `[index.length × m.cols]`. */
export function rowsOf(m: Mat, index: Int32Array): Float32Array {
  return values(() => pickRows(asTf(m), index, true));
}

/** Dot products of the `k` rows of `left` (`[k × m.cols]`, row-major) with the rows `cols` of `m`. */
export function leftProducts(left: Float32Array, k: number, m: Mat, cols?: Int32Array): Float32Array {
  return products(m, k, () => tf.tensor2d(left, [k, m.cols]), cols);
}

export const tfKernels: Kernels = {
  name: 'tfjs',
  upload: (data, rows, cols) => new TfMat(data, rows, cols),
  rowProducts: (m, index, cols) => products(m, index.length, () => pickRows(asTf(m), index, true), cols),
  gramTimes(m, v, weights) {
    const a = asTf(m);
    return values(() => {
      const projected = tf.matMul(row(v), a.tt);
      const scaled = weights ? tf.mul(projected, row(weights)) : projected;
      return tf.matMul(a.tt, tf.reshape(scaled, [a.rows, 1]));
    });
  },
  times: (m, v) => values(() => tf.matMul(row(v), asTf(m).tt)),
  release: (m) => asTf(m).dispose(),
};
