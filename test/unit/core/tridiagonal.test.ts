// The tridiagonal top-eigenpair solver against NumPy's eigh (LAPACK) over the matrices of
// test/fixtures/tridiagonal/expected.json (written by test/fixtures/make_tridiagonal_fixture.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tridiagonalTop } from '../../../src/core/tridiagonal';

interface Case {
  name: string;
  alpha: number[];
  beta: number[];
  values: number[];
  vectors: number[][];
}

const cases = JSON.parse(readFileSync(join(__dirname, '../../fixtures/tridiagonal/expected.json'), 'utf8')) as Case[];

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i], 0);

/** ‖T x − λ x‖ */
function residual(c: Case, x: Float64Array, lambda: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const tx =
      c.alpha[i] * x[i] + (i > 0 ? c.beta[i - 1] * x[i - 1] : 0) + (i + 1 < x.length ? c.beta[i] * x[i + 1] : 0);
    s += (tx - lambda * x[i]) ** 2;
  }
  return Math.sqrt(s);
}

describe('tridiagonal top eigenpairs', () => {
  for (const c of cases) {
    it(`matches NumPy's eigh: ${c.name}`, () => {
      const scale = Math.max(...c.alpha.map(Math.abs), ...c.beta.map(Math.abs));
      const top = tridiagonalTop(c.alpha, c.beta, 2);
      assert.equal(top.values.length, c.values.length);
      top.values.forEach((v, i) => assert.ok(Math.abs(v - c.values[i]) <= 1e-12 * scale, `${v} vs ${c.values[i]}`));
      top.vectors.forEach((x, i) => {
        assert.ok(Math.abs(dot(x, x) - 1) < 1e-12);
        assert.ok(residual(c, x, top.values[i]) <= 1e-10 * scale, `residual ${residual(c, x, top.values[i])}`);
      });
      if (top.vectors.length === 2) assert.ok(Math.abs(dot(top.vectors[0], top.vectors[1])) < 1e-10);
      const gap = c.values.length === 2 ? c.values[0] - c.values[1] : Infinity;
      if (gap > 1e-6 * scale) {
        // Separated eigenvalues: the same vectors up to sign.
        top.vectors.forEach((x, i) => assert.ok(Math.abs(Math.abs(dot(x, c.vectors[i])) - 1) < 1e-8));
      } else {
        // A nearly double eigenvalue (W21+): only the plane of the pair is determined; ours lie in NumPy's.
        for (const x of top.vectors) {
          const inPlane = Math.hypot(dot(x, c.vectors[0]), dot(x, c.vectors[1]));
          assert.ok(Math.abs(inPlane - 1) < 1e-8, `${inPlane}`);
        }
      }
    });
  }

  it('gives no more pairs than the matrix has', () => {
    assert.deepEqual(tridiagonalTop([], [], 2), { values: [], vectors: [] });
    assert.equal(tridiagonalTop([2], [], 2).values.length, 1);
  });
});
