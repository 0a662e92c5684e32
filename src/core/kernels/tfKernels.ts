// TensorFlow.js kernels: run on whichever backend engineBackend() chose (native, wasm or cpu).
import * as tf from '@tensorflow/tfjs';
import type { Kernels, Mat } from './kernels';

/** Keeps the transpose too: matMul with transposeB is an order of magnitude slower on wasm. */
class TfMat implements Mat {
  private transposed?: tf.Tensor2D;
  constructor(readonly t: tf.Tensor2D) {}
  get rows(): number {
    return this.t.shape[0];
  }
  get cols(): number {
    return this.t.shape[1];
  }
  get tt(): tf.Tensor2D {
    this.transposed ??= tf.keep(tf.transpose(this.t)); // kept: first asked for inside a tidy
    return this.transposed;
  }
  dispose(): void {
    this.t.dispose();
    this.transposed?.dispose();
  }
}

function asTf(m: Mat): TfMat {
  return m as TfMat;
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

export const tfKernels: Kernels = {
  name: 'tfjs',
  upload: (data, rows, cols) => new TfMat(tf.tensor2d(data, [rows, cols])),
  rowNorms: (m) => values(() => tf.norm(asTf(m).t, 'euclidean', 1)),
  scaledRows(m, index, scale) {
    return new TfMat(
      tf.tidy(() => tf.mul(tf.gather(asTf(m).t, tf.tensor1d(index, 'int32')), column(scale)) as tf.Tensor2D),
    );
  },
  rowProducts(m, index) {
    const a = asTf(m);
    return values(() => tf.matMul(tf.gather(a.t, tf.tensor1d(index, 'int32')), a.tt));
  },
  gramTimes(m, v) {
    const a = asTf(m);
    return values(() => tf.matMul(a.tt, tf.matMul(a.t, column(v))));
  },
  times: (m, v) => values(() => tf.matMul(asTf(m).t, column(v))),
  release: (m) => asTf(m).dispose(),
};
