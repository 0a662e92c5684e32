// Plain TypeScript kernels: the reference the TF.js kernels are tested against (same interface, same results).
import type { Kernels, Mat } from './kernels';

class JsMat implements Mat {
  constructor(
    readonly data: Float32Array,
    readonly rows: number,
    readonly cols: number,
  ) {}
}

function asJs(m: Mat): JsMat {
  return m as JsMat;
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += a[ao + k] * b[bo + k];
  return s;
}

export const jsKernels: Kernels = {
  name: 'typescript',
  upload: (data, rows, cols) => new JsMat(data, rows, cols),
  build(rows, cols) {
    // Layers this small come in one block.
    let data: Float32Array = new Float32Array(0);
    return {
      blocks: rows > 0 ? [[0, rows]] : [],
      copies: false,
      append: (block) => void (data = block),
      done: () => new JsMat(data, rows, cols),
    };
  },
  rows(m, index) {
    const { data, cols } = asJs(m);
    const out = new Float32Array(index.length * cols);
    index.forEach((row, r) => out.set(data.subarray(row * cols, (row + 1) * cols), r * cols));
    return out;
  },
  rowProducts(m, index, with_, into) {
    const { data, rows, cols } = asJs(m);
    const n = with_ ? with_.length : rows;
    const out = into?.subarray(0, index.length * n) ?? new Float32Array(index.length * n);
    for (let r = 0; r < index.length; r++) {
      const a = index[r] * cols;
      for (let j = 0; j < n; j++) out[r * n + j] = dot(data, a, data, (with_ ? with_[j] : j) * cols, cols);
    }
    return out;
  },
  gramTimes(m, v, weights) {
    const { data, rows, cols } = asJs(m);
    const out = new Float32Array(cols);
    for (let i = 0; i < rows; i++) {
      const s = dot(data, i * cols, v, 0, cols) * (weights ? weights[i] : 1);
      for (let k = 0; k < cols; k++) out[k] += s * data[i * cols + k];
    }
    return out;
  },
  times(m, v) {
    const { data, rows, cols } = asJs(m);
    const out = new Float32Array(rows);
    for (let i = 0; i < rows; i++) out[i] = dot(data, i * cols, v, 0, cols);
    return out;
  },
  release() {},
};
