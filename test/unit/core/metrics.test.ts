// The docs/metrics.md definitions on cases small enough to compute by hand.
import assert from 'node:assert/strict';
import { analyzeCheckpoint } from '../../../src/core/analyze';
import { engineBackend } from '../../../src/core/backend';
import { similarityHeatmap } from '../../../src/core/heatmap';
import { tfKernels } from '../../../src/core/kernels/tfKernels';
import { layerState } from '../../../src/core/layerMetrics';
import { wholeRows } from '../../../src/core/rowSource';
import { DEFAULT_SETTINGS, withDefaults } from '../../../src/protocol/settings';
import { memoryCheckpoint } from './memoryCheckpoint';

const close = (a: number, b: number, tol = 1e-5) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);

// Four neurons with 2-D input vectors (weight only): v0=(2,0), v1=(1,0.1), v2=(0,1), v3=(0.01,0).
const FOUR = { weight: wholeRows(Float32Array.from([2, 0, 1, 0.1, 0, 1, 0.01, 0]), 4) };

describe('layer metrics on hand-computed cases', () => {
  before(() => engineBackend());

  it('clusters, effective clusters, stable rank and largest cluster of four 2-D neurons', async () => {
    const s = await layerState(tfKernels, FOUR, DEFAULT_SETTINGS, true);
    tfKernels.release(s.neurons.units);
    // A = norms; v3 (A = 0.01) is below 0.05 · 2 and inactive. cos(v0, v1) = 1/√1.01 ≈ 0.995 ≥ 0.95.
    assert.deepEqual([...s.neurons.active], [1, 1, 1, 0]);
    assert.equal(s.figures.clusters, 2);
    assert.equal(s.figures.largestCluster, 2);
    const m0 = 2 + Math.sqrt(1.01);
    const p = [m0 / (m0 + 1), 1 / (m0 + 1)];
    close(s.figures.effectiveClusters, Math.exp(-p.reduce((h, q) => h + q * Math.log(q), 0)));
    // MᵀM = [[5, 0.1], [0.1, 1.01]]; ‖M‖_F² = 6.01.
    const lambda = (6.01 + Math.sqrt(3.99 ** 2 + 4 * 0.01)) / 2;
    close(s.figures.stableRank, 6.01 / lambda);
    assert.deepEqual([...s.clusterOf], [0, 0, 1, -1]);
    close(s.theta[1], Math.atan2(0.1, 1));
    close(s.theta[2], Math.PI / 2);
  });

  it('orders the heatmap by cluster mass, then amplitude, then the inactive, and block-averages', async () => {
    const s = await layerState(tfKernels, FOUR, DEFAULT_SETTINGS, false);
    const full = similarityHeatmap(tfKernels, s, 2048, false);
    assert.deepEqual(full.order, [0, 1, 2, 3]);
    assert.deepEqual(full.boundaries, [2]);
    const q = (x: number) => Math.round(((x + 1) / 2) * 255);
    assert.equal(full.values[0 * 4 + 1], q(1 / Math.sqrt(1.01)));
    assert.equal(full.values[0 * 4 + 2], q(0));
    assert.equal(full.values[3 * 4 + 3], q(1));
    const half = similarityHeatmap(tfKernels, s, 2, false);
    tfKernels.release(s.neurons.units);
    assert.equal(half.size, 2);
    assert.equal(half.blockSize, 2);
    // Block (0,0) averages S over neurons {0,1}²: (1 + 1 + 2c) / 4; block (0,1) over {0,1}×{2,3}.
    const c = 1 / Math.sqrt(1.01);
    assert.equal(half.values[0], q((2 + 2 * c) / 4));
    assert.equal(half.values[1], q((0 + 1 + 0.1 / Math.sqrt(1.01) + c) / 4));
  });

  it('absolute similarity puts u and −u in one cluster, signed keeps them apart', async () => {
    const w = { weight: wholeRows(Float32Array.from([1, 0, -1, 0, 0, 1]), 3) };
    const signed = await layerState(tfKernels, w, DEFAULT_SETTINGS, false);
    const absolute = await layerState(tfKernels, w, withDefaults({ similarity: 'absolute' }), false);
    [signed, absolute].forEach((s) => tfKernels.release(s.neurons.units));
    assert.equal(signed.figures.clusters, 3);
    assert.equal(absolute.figures.clusters, 2);
    assert.equal(absolute.figures.largestCluster, 2);
  });

  it('uses the next layer for amplitudes and the bias for input vectors', async () => {
    // fc1: 3 neurons, 1 input + bias; fc2 outgoing weights [1, 3] = (1, 0.01, 2).
    const ckpt = memoryCheckpoint({
      'fc1.weight': { shape: [3, 1], data: [1, 1, -1] },
      'fc1.bias': { shape: [3], data: [1, 1, 0] },
      'fc2.weight': { shape: [1, 3], data: [1, 0.01, 2] },
    });
    const [fc1] = await analyzeCheckpoint(ckpt, DEFAULT_SETTINGS);
    // A = √2·1, √2·0.01, 1·2 → max 2; √2·0.01 < 0.1 is inactive; v0=(1,1), v2=(−1,0) differ.
    assert.equal(fc1.name, 'fc1');
    assert.equal(fc1.inputDim, 2);
    assert.equal(fc1.active, 2);
    assert.equal(fc1.clusters, 2);
    const [noBias] = await analyzeCheckpoint(ckpt, withDefaults({ includeBias: false }));
    // Without bias: v = 1, 1, −1 (1-D); A = 1, 0.01, 2; active 0 and 2, opposite directions.
    assert.equal(noBias.inputDim, 1);
    assert.equal(noBias.clusters, 2);
  });

  it('reports NaN and Inf weights instead of crashing, and zeros the figures', async () => {
    const ckpt = memoryCheckpoint({ 'fc.weight': { shape: [2, 2], data: [NaN, 1, Infinity, 0] } });
    const [fc] = await analyzeCheckpoint(ckpt, DEFAULT_SETTINGS);
    assert.equal(fc.nonFinite, 2);
    assert.equal(fc.clusters, 0);
    assert.equal(fc.effectiveClusters, 0);
  });

  it('gives zeros for a layer without an active neuron, and skips layers of one neuron', async () => {
    const ckpt = memoryCheckpoint({
      'a.weight': { shape: [2, 2], data: [0, 0, 0, 0] },
      'b.weight': { shape: [1, 2], data: [1, 1] },
    });
    const layers = await analyzeCheckpoint(ckpt, DEFAULT_SETTINGS);
    assert.deepEqual(
      layers.map((l) => l.name),
      ['a'],
    );
    assert.deepEqual(
      [
        layers[0].active,
        layers[0].clusters,
        layers[0].effectiveClusters,
        layers[0].stableRank,
        layers[0].largestCluster,
      ],
      [0, 0, 0, 0, 0],
    );
  });
});
