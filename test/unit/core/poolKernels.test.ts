// The two-thread kernels compute what one thread does: the same products to the bit, the same clusters as the
// NumPy reference on real checkpoints, and the same figures as the plain TypeScript kernels on a large layer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { jsKernels } from '../../../src/core/kernels/jsKernels';
import type { Kernels } from '../../../src/core/kernels/kernels';
import { poolKernels } from '../../../src/core/kernels/poolKernels';
import { tfKernels } from '../../../src/core/kernels/tfKernels';
import { layerState } from '../../../src/core/layerMetrics';
import { computeNeurons } from '../../../src/core/neurons';
import { wholeRows } from '../../../src/core/rowSource';
import { discoverLayers } from '../../../src/core/layers/discover';
import { readView } from '../../../src/core/layers/views';
import { openEntry } from '../../../src/core/run';
import { DEFAULT_SETTINGS } from '../../../src/protocol/settings';
import { seededRandom } from '../formats/seededRandom';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));

const near = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} ≉ ${b}`);

/** `neurons` rows near 5 random directions (a condensed layer), seeded. */
function condensed(neurons: number, inputs: number): Float32Array {
  const rand = seededRandom(11);
  const dirs = Array.from({ length: 5 }, () => Float32Array.from({ length: inputs }, () => rand() - 0.5));
  const scale = Float32Array.from({ length: neurons }, () => 0.5 + rand());
  return Float32Array.from({ length: neurons * inputs }, (_, i) => {
    const k = Math.floor(i / inputs);
    return scale[k] * (dirs[k % 5][i % inputs] + 0.01 * (rand() - 0.5));
  });
}

describe('two-thread kernels', () => {
  let pool: Kernels;
  before(async function () {
    this.timeout(60_000);
    pool = await poolKernels();
  });

  it('run on two threads where there are two cores', () => {
    assert.equal(pool.name, availableParallelism() > 1 ? 'tfjs, two threads' : 'tfjs');
  });

  it('give the products, rows and matrix-vector products of one thread, to the bit', () => {
    const rows = 301;
    const cols = 37;
    const data = condensed(rows, cols);
    const [a, b] = [tfKernels.upload(data, rows, cols), pool.upload(data, rows, cols)];
    try {
      const index = Int32Array.from([300, 0, 151, 150, 7]);
      const some = Int32Array.from([5, 299, 150, 151, 0, 200, 149]);
      assert.deepEqual(pool.rowProducts(b, index, some), tfKernels.rowProducts(a, index, some));
      assert.deepEqual(pool.rowProducts(b, index), tfKernels.rowProducts(a, index));
      const v = Float32Array.from({ length: cols }, (_, i) => Math.sin(i));
      assert.deepEqual(pool.times(b, v), tfKernels.times(a, v));
      const w = Float32Array.from({ length: rows }, (_, i) => 1 + (i % 3));
      const [g1, g2] = [pool.gramTimes(b, v, w), tfKernels.gramTimes(a, v, w)];
      g1.forEach((x, i) => near(x, g2[i], 1e-5, `Mᵀ diag(w) M v [${i}]`));
    } finally {
      tfKernels.release(a);
      pool.release(b);
    }
  });

  it('write products into a buffer the caller reuses, only its first k × n values, and build from one reused block buffer', () => {
    const [rows, cols] = [301, 37];
    const data = condensed(rows, cols);
    const [a, b] = [tfKernels.upload(data, rows, cols), pool.build(rows, cols)];
    // Every block through the same buffer, overwritten before the next one: the matrix must be the rows given.
    assert.ok(b.copies && b.blocks.length > 1);
    const block = new Float32Array(Math.max(...b.blocks.map(([, n]) => n)) * cols);
    for (const [first, n] of b.blocks) {
      block.set(data.subarray(first * cols, (first + n) * cols));
      b.append(block.subarray(0, n * cols));
      block.fill(Number.NaN);
    }
    const m = b.done();
    try {
      const all = Int32Array.from({ length: rows }, (_, j) => j);
      assert.deepEqual(pool.rows(m, all), data);
      const into = new Float32Array(6 * rows + 5).fill(Number.NaN);
      for (const index of [Int32Array.from([300, 0, 151, 150, 7, 149]), Int32Array.from([2, 299, 151])]) {
        const some = Int32Array.from([5, 299, 150, 151, 0, 200, 149, 300]);
        const got = pool.rowProducts(m, index, some, into);
        assert.equal(got.buffer, into.buffer);
        assert.deepEqual(got, tfKernels.rowProducts(a, index, some));
        assert.deepEqual(pool.rowProducts(m, index, undefined, into), tfKernels.rowProducts(a, index));
      }
      assert.ok(into.subarray(6 * rows).every(Number.isNaN), 'values past k × n are left alone');
    } finally {
      tfKernels.release(a);
      pool.release(m);
    }
  });

  it('unit rows through one reused buffer: a zero row after a non-zero one at its place stays zero', async () => {
    // 6 rows of 3 inputs with a bias: rows 0-2 here, 3-5 on the worker; row 4 is zero where row 1 was not.
    const weight = Float32Array.from([3, 4, 0, 1, 2, 2, 0, 0, 5, 2, 3, 6, 0, 0, 0, 1, 0, 0]);
    const bias = Float32Array.from([0, 0, 0, 0, 0, 1]);
    const nr = await computeNeurons(pool, { weight: wholeRows(weight, 6), bias }, true, 0);
    assert.ok(!('nonFinite' in nr));
    try {
      const units = pool.rows(nr.units, Int32Array.from([0, 1, 2, 3, 4, 5]));
      const expected = [
        [0.6, 0.8, 0, 0],
        [1 / 3, 2 / 3, 2 / 3, 0],
        [0, 0, 1, 0],
        [2 / 7, 3 / 7, 6 / 7, 0],
        [0, 0, 0, 0],
        [Math.SQRT1_2, 0, 0, Math.SQRT1_2],
      ].flat();
      units.forEach((u, i) => near(u, expected[i], 1e-6, `unit value ${i}`));
      assert.deepEqual([...nr.norms], [5, 3, 5, 7, 0, Math.fround(Math.SQRT2)]);
    } finally {
      pool.release(nr.units);
    }
  });

  for (const file of ['reference/gamma1/step-010000.pt', 'reference/gamma025/step-010000.pt']) {
    it(`${file}: the NumPy reference's clusters and figures`, async () => {
      const ckpt = await openEntry(join(FIXTURES, file));
      try {
        const [spec] = discoverLayers(ckpt);
        const next = spec.next!.weight;
        const weights = {
          weight: wholeRows(await readView(ckpt, spec.weight), spec.weight.shape[0]),
          bias: spec.bias && (await readView(ckpt, spec.bias)),
          next: { data: await readView(ckpt, next), shape: next.shape },
        };
        const state = await layerState(pool, weights, DEFAULT_SETTINGS, false);
        pool.release(state.neurons.units);
        const want = expected.checkpoints[file].layers.fc1;
        assert.equal(state.figures.active, want.active);
        assert.equal(state.figures.clusters, want.clusters);
        assert.equal(state.figures.largestCluster, want.largestCluster);
        near(state.figures.effectiveClusters, want.effectiveClusters, 1e-4, 'effective clusters');
        near(state.figures.stableRank, want.stableRank, 1e-4, 'stable rank');
      } finally {
        await ckpt.close();
      }
    });
  }

  it('a condensed 1200 × 96 layer: the clusters and figures of the plain TypeScript kernels', async function () {
    this.timeout(60_000);
    const w = { weight: wholeRows(condensed(1200, 96), 1200) };
    const [two, plain] = await Promise.all(
      [pool, jsKernels].map(async (k) => {
        const state = await layerState(k, w, DEFAULT_SETTINGS, true);
        k.release(state.neurons.units);
        return state;
      }),
    );
    assert.deepEqual(two.clusterOf, plain.clusterOf);
    assert.equal(two.figures.clusters, 5);
    near(two.figures.stableRank, plain.figures.stableRank, 1e-5, 'stable rank');
    two.theta.forEach((t, k) => near(Math.cos(t - plain.theta[k]), 1, 1e-6, `θ_${k}`));
  });
});
