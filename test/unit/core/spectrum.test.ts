// Lanczos against spectra known in closed form.
import assert from 'node:assert/strict';
import { jsKernels } from '../../../src/core/kernels/jsKernels';
import { topSpectrum } from '../../../src/core/spectrum';

describe('spectrum', () => {
  it('finds the top two singular values and right vectors of a diagonal-times-rotation matrix', () => {
    // M = diag(5, 3, 1, 0.5) with its columns permuted: σ² = 25, 9 at coordinates 2 and 0.
    const m = new Float32Array(16);
    const sigma = [3, 0.5, 5, 1];
    sigma.forEach((s, i) => (m[i * 4 + i] = s));
    const top = topSpectrum(jsKernels, jsKernels.upload(m, 4, 4));
    assert.ok(Math.abs(top.values[0] - 25) < 1e-6 && Math.abs(top.values[1] - 9) < 1e-6, String(top.values));
    assert.ok(Math.abs(Math.abs(top.vectors[0][2]) - 1) < 1e-6);
    assert.ok(Math.abs(Math.abs(top.vectors[1][0]) - 1) < 1e-6);
  });

  it('handles a rank-one matrix (Lanczos breaks down early) and wide inputs', () => {
    const rows = 50;
    const cols = 300;
    const m = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m[i * cols + j] = (i + 1) * Math.cos(j);
    // M = a bᵀ with a = 1..50, b_j = cos j: σ₁² = ‖a‖²‖b‖².
    let a2 = 0;
    let b2 = 0;
    for (let i = 1; i <= rows; i++) a2 += i * i;
    for (let j = 0; j < cols; j++) b2 += Math.cos(j) ** 2;
    const top = topSpectrum(jsKernels, jsKernels.upload(m, rows, cols));
    assert.ok(Math.abs(top.values[0] / (a2 * b2) - 1) < 1e-5);
    assert.ok(top.values.length < 2 || top.values[1] < 1e-6 * top.values[0]);
  });
});
