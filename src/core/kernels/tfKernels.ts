// TensorFlow.js kernels: run on whichever backend engineBackend() chose (native, wasm or cpu).
import * as tf from '@tensorflow/tfjs';
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

  /** Appends `count` rows (row-major `data`, not kept) after those already held. */
  append(data: Float32Array, count: number): void {
    this.blocks.push({ first: this.rows, rows: count, data: tf.tensor2d(data, [count, this.cols]) });
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

/** The values of `compute()`'s result; every tensor it makes is freed, the result too, even when it throws. */
function values(compute: () => tf.Tensor): Float32Array {
  const result = tf.tidy(compute);
  try {
    return result.dataSync() as Float32Array;
  } finally {
    result.dispose();
  }
}

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

/** Dot products of the `k` rows of `left` (`[k × m.cols]`, row-major) with the rows `cols` of `m` (every row when absent). */
export function leftProducts(left: Float32Array, k: number, m: Mat, cols?: Int32Array): Float32Array {
  const a = asTf(m);
  const all = cols ?? Int32Array.from({ length: a.rows }, (_, j) => j);
  const out = new Float32Array(k * all.length);
  const rhs = tf.tidy(() => tf.transpose(tf.tensor2d(left, [k, a.cols])));
  try {
    byBlock(a, all).forEach(({ at, local }, b) => {
      if (at.length === 0) return;
      const block = a.blocks[b];
      const gather = at.length <= GATHER_SHARE * block.rows;
      // [rows of the block (or those gathered) × k]
      const part = values(() =>
        tf.matMul(gather ? tf.gather(block.data, tf.tensor1d(local, 'int32')) : block.data, rhs),
      );
      for (let t = 0; t < at.length; t++) {
        const from = (gather ? t : local[t]) * k;
        for (let r = 0; r < k; r++) out[r * all.length + at[t]] = part[from + r];
      }
    });
  } finally {
    rhs.dispose();
  }
  return out;
}

/** The rows `index` of `m`, row-major `[index.length × m.cols]`. */
export function rowsOf(m: Mat, index: Int32Array): Float32Array {
  const a = asTf(m);
  const out = new Float32Array(index.length * a.cols);
  byBlock(a, index).forEach(({ at, local }, b) => {
    if (at.length === 0) return;
    const part = values(() => tf.gather(a.blocks[b].data, tf.tensor1d(local, 'int32')));
    at.forEach((t, i) => out.set(part.subarray(i * a.cols, (i + 1) * a.cols), t * a.cols));
  });
  return out;
}

/** A matrix of `cols` columns built a block of rows at a time, each block a tensor of its own. */
export function build(rows: number, cols: number): MatBuilder {
  const m = new TfMat(cols);
  return {
    blocks: blocksOf(0, rows, blockRows(cols)),
    append: (data) => m.append(data, data.length / cols),
    done: () => m,
  };
}

/**
 * Up to this size, `Mᵀ s` in the spectrum's product has the rows on the right of matMul: the fast form on wasm, whose
 * packed copy of them is kept while they live (the spectrum runs once the layer's weight is let go, so that copy takes
 * its place). Beyond it, the form that packs nothing, two to four times slower: two copies of a large layer plus the
 * collector's slack would pass the memory goal.
 */
const PACKED_BYTES = 2 ** 26;

export const tfKernels: Kernels = {
  name: 'tfjs',
  upload: (data, rows, cols) => uploadAll(build(rows, cols), data, cols),
  build,
  rows: rowsOf,
  rowProducts: (m, index, cols) => leftProducts(rowsOf(m, index), index.length, m, cols),
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
