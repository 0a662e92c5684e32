// TensorFlow.js kernels: run on whichever backend engineBackend() chose (native, wasm or cpu).
import * as tf from '@tensorflow/tfjs';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { blocksOf, type Kernels, type Mat, type MatBuilder, uploadAll } from './kernels';

/** Rows uploaded at a time: a block of about this many bytes is the only copy of the matrix made outside TF.js. */
const BLOCK_BYTES = 2 ** 24;

/** Rows per block of a matrix with `cols` columns. */
export function blockRows(cols: number): number {
  return Math.max(1, Math.floor(BLOCK_BYTES / 4 / cols));
}

interface Block {
  /** The block's first row in the matrix. */
  readonly first: number;
  readonly rows: number;
  /** The block's rows `[rows × cols]`. */
  readonly data: tf.Tensor2D;
}

/**
 * Holds the rows (one copy of the layer) in blocks, uploaded one by one: no whole copy of the matrix exists outside
 * TF.js, even while it is built. The products of the cover keep the blocks on the left of matMul: wasm's matMul packs
 * its right operand into a copy it keeps as long as that tensor lives, so a layer on the right is held twice.
 */
export class TfMat implements Mat {
  readonly blocks: Block[] = [];
  rows = 0;
  constructor(readonly cols: number) {}

  /**
   * Appends `count` rows (row-major `data`, which the caller may reuse: wasm copies a new tensor's values onto its
   * heap, other backends are given a copy) after those already held.
   */
  append(data: Float32Array, count: number): void {
    const values = tf.getBackend() === 'wasm' ? data : data.slice();
    this.blocks.push({ first: this.rows, rows: count, data: tf.tensor2d(values, [count, this.cols]) });
    this.rows += count;
  }

  dispose(): void {
    for (const b of this.blocks) b.data.dispose();
  }
}

function asTf(m: Mat): TfMat {
  return m as TfMat;
}

function row(v: Float32Array): tf.Tensor2D {
  return tf.tensor2d(v, [1, v.length]);
}

function column(v: Float32Array): tf.Tensor2D {
  return tf.tensor2d(v, [v.length, 1]);
}

/**
 * `use` of the values of `compute()`'s result; every tensor it makes is freed, the result too, even when one throws.
 * On wasm, `use` reads them where they are on the heap, so that no copy is made for the collector to catch up with:
 * it must copy what it keeps, and make no tensor (a heap that grows moves them).
 */
function withValues<T>(compute: () => tf.Tensor, use: (values: Float32Array) => T): T {
  const result = tf.tidy(compute);
  try {
    const backend = tf.backend();
    return use(
      (backend instanceof BackendWasm ? backend.typedArrayFromHeap(result) : result.dataSync()) as Float32Array,
    );
  } finally {
    result.dispose();
  }
}

/** A copy of the values of `compute()`'s result (see `withValues`). */
const values = (compute: () => tf.Tensor): Float32Array => withValues(compute, (v) => v.slice());

/** For each block of `m`: the positions in `index` of the rows it holds, and those rows within the block. */
function byBlock(m: TfMat, index: Int32Array): { at: number[]; local: number[] }[] {
  const parts = m.blocks.map(() => ({ at: [] as number[], local: [] as number[] }));
  const step = m.blocks[0]?.rows ?? 1;
  index.forEach((row, t) => {
    const b = Math.floor(row / step);
    parts[b].at.push(t);
    parts[b].local.push(row - m.blocks[b].first);
  });
  return parts;
}

/** Beyond this share of a block's rows, products with all of the block beat gathering a copy of the columns asked for. */
const GATHER_SHARE = 0.5;
/** Rows gathered at a time are about this many bytes. */
const GATHER_BYTES = 2 ** 21;

/** Where products or rows go: `out`, row `r` at `r · stride`, the `t`-th value asked for at column `at[t]` (`t` when absent). */
export interface Into {
  out: Float32Array;
  stride: number;
  at?: Int32Array;
}

/**
 * Dot products of the `k` rows of `left` (`[k × m.cols]`, row-major) with the rows `cols` of `m` (every row when
 * absent): `[k × cols.length]`, row-major, or written into `into`.
 */
export function leftProducts(left: Float32Array, k: number, m: Mat, cols?: Int32Array, into?: Into): Float32Array {
  const a = asTf(m);
  const all = cols ?? Int32Array.from({ length: a.rows }, (_, j) => j);
  const { out, stride, at: to } = into ?? { out: new Float32Array(k * all.length), stride: all.length };
  const col = (t: number) => (to ? to[t] : t);
  const rhs = tf.tidy(() => tf.transpose(tf.tensor2d(left, [k, a.cols])));
  try {
    byBlock(a, all).forEach(({ at, local }, b) => {
      if (at.length === 0) return;
      const block = a.blocks[b];
      if (at.length > GATHER_SHARE * block.rows) {
        // [rows of the block × k]
        withValues(
          () => tf.matMul(block.data, rhs),
          (part) => {
            for (let t = 0; t < at.length; t++)
              for (let r = 0; r < k; r++) out[r * stride + col(at[t])] = part[local[t] * k + r];
          },
        );
        return;
      }
      // The rows asked for, gathered a few at a time: the copy on the heap stays small.
      const step = Math.max(1, Math.floor(GATHER_BYTES / 4 / a.cols));
      for (let c = 0; c < at.length; c += step) {
        const rows = local.slice(c, c + step);
        withValues(
          () => tf.matMul(tf.gather(block.data, tf.tensor1d(rows, 'int32')), rhs),
          (part) => {
            for (let t = 0; t < rows.length; t++)
              for (let r = 0; r < k; r++) out[r * stride + col(at[c + t])] = part[t * k + r];
          },
        );
      }
    });
  } finally {
    rhs.dispose();
  }
  return out;
}

/** The rows `index` of `m`, row-major `[index.length × m.cols]`; into `out` when given, the `t`-th at row `at[t]`. */
export function rowsOf(m: Mat, index: Int32Array, out?: Float32Array, at?: Int32Array): Float32Array {
  const a = asTf(m);
  const into = out ?? new Float32Array(index.length * a.cols);
  byBlock(a, index).forEach(({ at: ts, local }, b) => {
    if (ts.length === 0) return;
    withValues(
      () => tf.gather(a.blocks[b].data, tf.tensor1d(local, 'int32')),
      (part) => ts.forEach((t, i) => into.set(part.subarray(i * a.cols, (i + 1) * a.cols), (at ? at[t] : t) * a.cols)),
    );
  });
  return into;
}

/** A matrix of `cols` columns built a block of rows at a time, each block a tensor of its own. */
export function build(rows: number, cols: number): MatBuilder {
  const m = new TfMat(cols);
  return {
    blocks: blocksOf(0, rows, blockRows(cols)),
    copies: true,
    append: (data) => m.append(data, data.length / cols),
    done: () => m,
  };
}

/**
 * Up to this size (GPT-2's MLP layers, half on each thread), `Mᵀ s` in the spectrum's product has the rows on the
 * right of matMul: the fast form on wasm, whose packed copy of them is kept while they live. Beyond it, the form that
 * packs nothing (its product is eight times slower, the spectrum three times; a 4096 × 4096 summary takes 8.9 s
 * instead of 5.4 s): a packed copy of a large layer is a second copy of it, which with the cover's work space and the
 * collector's slack would pass the memory goal.
 */
const PACKED_BYTES = 2 ** 23;

export const tfKernels: Kernels = {
  name: 'tfjs',
  upload: (data, rows, cols) => uploadAll(build(rows, cols), data, cols),
  build,
  rows: rowsOf,
  rowProducts: (m, index, cols, into) => {
    const n = cols?.length ?? m.rows;
    const out = into?.subarray(0, index.length * n);
    return leftProducts(rowsOf(m, index), index.length, m, cols, out && { out, stride: n });
  },
  gramTimes(m, v, weights) {
    const a = asTf(m);
    const packed = 4 * a.rows * a.cols <= PACKED_BYTES;
    return values(() =>
      a.blocks
        .map((b) => {
          const projected = tf.reshape(tf.matMul(b.data, column(v)), [1, b.rows]);
          const scaled = weights ? tf.mul(projected, row(weights.subarray(b.first, b.first + b.rows))) : projected;
          if (packed) return tf.matMul(scaled, b.data);
          return tf.reshape(tf.matMul(b.data, tf.reshape(scaled, [b.rows, 1]), true, false), [1, a.cols]);
        })
        .reduce((sum, part) => tf.add(sum, part), tf.zeros([1, a.cols])),
    );
  },
  times(m, v) {
    const a = asTf(m);
    const out = new Float32Array(a.rows);
    for (const b of a.blocks)
      out.set(
        values(() => tf.matMul(b.data, column(v))),
        b.first,
      );
    return out;
  },
  release: (m) => asTf(m).dispose(),
};
