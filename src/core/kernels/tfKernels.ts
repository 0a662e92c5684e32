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

export const tfKernels: Kernels = {
  name: 'tfjs',
  upload: (data, rows, cols) => new TfMat(tf.tensor2d(data, [rows, cols])),
  rowProducts(m, index, cols) {
    const a = asTf(m);
    return tf
      .tidy(() => {
        const right = cols ? tf.gather(a.tt, tf.tensor1d(cols, 'int32'), 1) : a.tt;
        return tf.matMul(tf.gather(a.t, tf.tensor1d(index, 'int32')), right);
      })
      .dataSync() as Float32Array;
  },
  gramTimes(m, v, weights) {
    const a = asTf(m);
    return tf
      .tidy(() => {
        const projected = tf.matMul(a.t, column(v));
        return tf.matMul(a.tt, weights ? tf.mul(projected, column(weights)) : projected);
      })
      .dataSync() as Float32Array;
  },
  times(m, v) {
    return tf.tidy(() => tf.matMul(asTf(m).t, column(v))).dataSync() as Float32Array;
  },
  release: (m) => asTf(m).dispose(),
};
