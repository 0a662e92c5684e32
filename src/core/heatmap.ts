// The similarity heatmap of docs/metrics.md: cluster order, block-averaged beyond the display limit,
// computed a band of rows at a time so the N×N float matrix never exists at once.
import { type Kernels, releasing } from './kernels/kernels';
import type { LayerState } from './layerMetrics';
import { directions } from './neurons';
import { quantizeSimilarity } from '../protocol/similarityBytes';

export interface Heatmap {
  size: number;
  blockSize: number;
  order: number[];
  boundaries: number[];
  /** round((S + 1) / 2 · 255) per display cell, row-major `size × size`. */
  values: Uint8Array;
}

const BAND_ROWS = 256;

/** Clusters by mass, members by amplitude, then inactive neurons by amplitude (ties by index). */
export function heatmapOrder(state: LayerState): number[] {
  const { amplitude, active } = state.neurons;
  const inactive = [...active.keys()].filter((k) => !active[k]).sort((i, j) => amplitude[j] - amplitude[i] || i - j);
  return [...state.members.flat(), ...inactive];
}

export function similarityHeatmap(kernels: Kernels, state: LayerState, maxNeurons: number, absolute: boolean): Heatmap {
  const order = heatmapOrder(state);
  const n = order.length;
  const blockSize = Math.ceil(n / maxNeurons);
  const size = Math.ceil(n / blockSize);
  const values = new Uint8Array(size * size);
  // Block sums only when averaging: at full size each cell is quantized as it is computed.
  const sums = new Float64Array(blockSize > 1 ? size * size : 0);
  const counts = new Float64Array(sums.length);
  const units = directions(kernels, state.neurons, Int32Array.from(order));
  releasing(kernels, units, () => {
    for (let r0 = 0; r0 < n; r0 += BAND_ROWS) {
      const rows = Int32Array.from({ length: Math.min(BAND_ROWS, n - r0) }, (_, i) => r0 + i);
      const band = kernels.rowProducts(units, rows);
      if (blockSize === 1) {
        for (let c = 0; c < band.length; c++)
          values[r0 * n + c] = quantizeSimilarity(absolute ? Math.abs(band[c]) : band[c]);
        continue;
      }
      for (let i = 0; i < rows.length; i++) {
        const di = Math.floor((r0 + i) / blockSize) * size;
        for (let j = 0; j < n; j++) {
          const s = band[i * n + j];
          const cell = di + Math.floor(j / blockSize);
          sums[cell] += absolute ? Math.abs(s) : s;
          counts[cell]++;
        }
      }
    }
  });
  sums.forEach((s, i) => (values[i] = quantizeSimilarity(s / counts[i])));
  const boundaries: number[] = [];
  let start = 0;
  for (const g of state.members.slice(0, -1)) {
    start += g.length;
    boundaries.push(Math.floor(start / blockSize));
  }
  return { size, blockSize, order, boundaries, values };
}
