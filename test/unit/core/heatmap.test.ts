// The block-averaged heatmap (block sums in signed mode, bands in absolute mode) against a brute-force N×N one.
import assert from 'node:assert/strict';
import { engineBackend } from '../../../src/core/backend';
import { heatmapOrder, similarityHeatmap } from '../../../src/core/heatmap';
import { tfKernels } from '../../../src/core/kernels/tfKernels';
import { layerState } from '../../../src/core/layerMetrics';
import { wholeRows } from '../../../src/core/rowSource';
import { DEFAULT_SETTINGS } from '../../../src/protocol/settings';
import { seededRandom } from '../formats/seededRandom';

/** Every u_i·u_j in float64 from the raw weights, averaged per display block, mapped to 0…255 unrounded. */
function bruteForce(weight: Float32Array, dim: number, order: number[], maxNeurons: number, absolute: boolean) {
  const n = order.length;
  const block = Math.ceil(n / maxNeurons);
  const size = Math.ceil(n / block);
  const unit = order.map((k) => {
    const row = Float64Array.from(weight.subarray(k * dim, (k + 1) * dim));
    const norm = Math.hypot(...row);
    return norm > 0 ? row.map((x) => x / norm) : row;
  });
  const sums = new Float64Array(size * size);
  const counts = new Float64Array(size * size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += unit[i][c] * unit[j][c];
      const cell = Math.floor(i / block) * size + Math.floor(j / block);
      sums[cell] += absolute ? Math.abs(s) : s;
      counts[cell]++;
    }
  }
  return { size, block, scaled: sums.map((s, i) => ((Math.max(-1, Math.min(1, s / counts[i])) + 1) / 2) * 255) };
}

/** 650 neurons near 4 directions (a few exactly zero), so blocks mix clusters and signs. */
function plantedLayer(): Float32Array {
  const rand = seededRandom(11);
  const dirs = Array.from({ length: 4 }, () => Float32Array.from({ length: 24 }, () => rand() - 0.5));
  const w = new Float32Array(650 * 24);
  for (let k = 0; k < 650; k++) {
    if (k % 97 === 5) continue;
    const sign = rand() < 0.4 ? -1 : 1;
    for (let i = 0; i < 24; i++) w[k * 24 + i] = sign * (0.2 + rand()) * (dirs[k % 4][i] + 0.1 * (rand() - 0.5));
  }
  return w;
}

describe('block-averaged heatmap = brute force', () => {
  before(() => engineBackend());

  for (const absolute of [false, true]) {
    it(`${absolute ? 'absolute (bands)' : 'signed (block sums)'}: 650 neurons shown as 50 blocks of 13`, async () => {
      const weight = plantedLayer();
      const state = await layerState(tfKernels, { weight: wholeRows(weight, 650) }, DEFAULT_SETTINGS, false);
      try {
        const got = similarityHeatmap(tfKernels, state, 50, absolute);
        const want = bruteForce(weight, 24, heatmapOrder(state), 50, absolute);
        assert.equal(got.size, want.size);
        assert.equal(got.blockSize, want.block);
        let checked = 0;
        want.scaled.forEach((x, cell) => {
          // A mean within float error of a rounding edge may go either way; every other cell must match.
          if (Math.abs((x % 1) - 0.5) < 1e-3) return;
          checked++;
          assert.equal(got.values[cell], Math.round(x), `cell ${cell}: ${got.values[cell]} vs ${x}`);
        });
        assert.ok(checked > 0.99 * want.scaled.length);
      } finally {
        tfKernels.release(state.neurons.units);
      }
    });
  }
});
