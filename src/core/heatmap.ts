// The similarity heatmap of docs/metrics.md: cluster order, block-averaged beyond the display limit. The N×N
// similarity matrix never exists: signed block means come from block sums of the directions, and the other modes
// are computed a band of rows at a time.
import { type CancelCheck, neverCancelled } from './cancel';
import type { Kernels } from './kernels/kernels';
import type { LayerState } from './layerMetrics';
import type { Neurons } from './neurons';
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

interface Grid {
  order: number[];
  blockSize: number;
  size: number;
}

/** Members of display block b in `order`. */
function blockCount(g: Grid, b: number): number {
  return Math.min(g.blockSize, g.order.length - b * g.blockSize);
}

/** mean_{i∈R, j∈C} u_i·u_j = (Σ_R u_i)·(Σ_C u_j) / (|R||C|): size²·D work instead of N²·D. */
function signedBlockMeans(kernels: Kernels, nr: Neurons, g: Grid, values: Uint8Array): void {
  const d = nr.inputDim;
  const sums = new Float64Array(g.size * d);
  const order = Int32Array.from(g.order);
  for (let i0 = 0; i0 < order.length; i0 += BAND_ROWS) {
    // The unit rows a band at a time (zero rows add nothing).
    const band = kernels.rows(nr.units, order.subarray(i0, i0 + BAND_ROWS));
    for (let i = 0; i < band.length / d; i++) {
      const row = Math.floor((i0 + i) / g.blockSize) * d;
      for (let c = 0; c < d; c++) sums[row + c] += band[i * d + c];
    }
  }
  const blocks = kernels.upload(Float32Array.from(sums), g.size, d);
  const all = Int32Array.from({ length: g.size }, (_, b) => b);
  const products = kernels.rowProducts(blocks, all);
  kernels.release(blocks);
  for (let r = 0; r < g.size; r++) {
    for (let c = 0; c < g.size; c++) {
      const cell = r * g.size + c;
      values[cell] = quantizeSimilarity(products[cell] / (blockCount(g, r) * blockCount(g, c)));
    }
  }
}

/** Bands of BAND_ROWS similarity rows: each cell quantized at full size, else summed into its block. */
function bandMeans(kernels: Kernels, nr: Neurons, g: Grid, absolute: boolean, values: Uint8Array, check: CancelCheck) {
  const n = g.order.length;
  const sums = new Float64Array(g.blockSize > 1 ? g.size * g.size : 0);
  const all = Int32Array.from(g.order);
  for (let r0 = 0; r0 < n; r0 += BAND_ROWS) {
    check();
    const rows = all.subarray(r0, r0 + BAND_ROWS);
    const band = kernels.rowProducts(nr.units, rows, all);
    if (g.blockSize === 1) {
      for (let c = 0; c < band.length; c++)
        values[r0 * n + c] = quantizeSimilarity(absolute ? Math.abs(band[c]) : band[c]);
      continue;
    }
    for (let i = 0; i < rows.length; i++) {
      const di = Math.floor((r0 + i) / g.blockSize) * g.size;
      for (let j = 0; j < n; j++) sums[di + Math.floor(j / g.blockSize)] += Math.abs(band[i * n + j]);
    }
  }
  sums.forEach(
    (s, i) => (values[i] = quantizeSimilarity(s / (blockCount(g, Math.floor(i / g.size)) * blockCount(g, i % g.size)))),
  );
}

export function similarityHeatmap(
  kernels: Kernels,
  state: LayerState,
  maxNeurons: number,
  absolute: boolean,
  check: CancelCheck = neverCancelled,
): Heatmap {
  const order = heatmapOrder(state);
  const blockSize = Math.ceil(order.length / maxNeurons);
  const grid = { order, blockSize, size: Math.ceil(order.length / blockSize) };
  const values = new Uint8Array(grid.size * grid.size);
  if (blockSize > 1 && !absolute) signedBlockMeans(kernels, state.neurons, grid, values);
  else bandMeans(kernels, state.neurons, grid, absolute, values, check);
  const boundaries: number[] = [];
  let start = 0;
  for (const g of state.members.slice(0, -1)) {
    start += g.length;
    boundaries.push(Math.floor(start / blockSize));
  }
  return { size: grid.size, blockSize, order, boundaries, values };
}
