// The TF.js kernels' row products against the plain TypeScript ones, on the paths that copy rows (the wasm heap
// copy, the gathered slices of a wide layer).
import assert from 'node:assert/strict';
import { engineBackend } from '../../../src/core/backend';
import { jsKernels } from '../../../src/core/kernels/jsKernels';
import { tfKernels } from '../../../src/core/kernels/tfKernels';
import { seededRandom } from '../formats/seededRandom';

function closeTo(got: Float32Array, want: Float32Array, scale: number): void {
  assert.equal(got.length, want.length);
  const worst = got.reduce((w, g, i) => Math.max(w, Math.abs(g - want[i])), 0);
  assert.ok(worst <= 1e-5 * scale, `largest difference ${worst}`);
}

describe('TF.js row products', () => {
  before(() => engineBackend());

  for (const [rows, cols, asked] of [
    [300, 40, 'every row'],
    [300, 40, 'a few rows'],
    // 8192 inputs: blocks of 512 rows, of which the rows asked for (half of each) are gathered 64 (2 MB) at a time.
    [1100, 8192, 'gathered in slices'],
  ] as const) {
    it(`equal the TypeScript kernels' (${rows} × ${cols}, ${asked})`, () => {
      const rand = seededRandom(rows + cols);
      const data = Float32Array.from({ length: rows * cols }, () => rand() - 0.5);
      const index = Int32Array.from([rows - 1, 0, 7]);
      const with_ =
        asked === 'every row'
          ? undefined
          : Int32Array.from({ length: asked === 'gathered in slices' ? 520 : 20 }, (_, j) => (2 * j + 1) % rows);
      const tf = tfKernels.upload(data, rows, cols);
      try {
        const scale = cols / 4; // |u_i · u_j| ≤ cols / 4 for entries in [−½, ½]
        const want = jsKernels.rowProducts(jsKernels.upload(data, rows, cols), index, with_);
        closeTo(tfKernels.rowProducts(tf, index, with_), want, scale);
        // The same into a larger buffer reused by the caller, whose values past the products are left alone.
        const into = new Float32Array(want.length + 3).fill(Number.NaN);
        closeTo(tfKernels.rowProducts(tf, index, with_, into), want, scale);
        closeTo(into.subarray(0, want.length), want, scale);
        assert.ok(into.subarray(want.length).every(Number.isNaN));
      } finally {
        tfKernels.release(tf);
      }
    });
  }
});
