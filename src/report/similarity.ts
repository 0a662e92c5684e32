// The similarity figure as data, shared by the panel and the SVG export: the active block alone when asked,
// block-averaged down to a cell limit, with the cluster boundaries that fall inside.
import type { HeatmapData } from '../protocol/panel';
import { heatmapBytes } from './heatmapCells';
import { byteToSimilarity, quantizeSimilarity } from '../protocol/similarityBytes';

/** Exports keep at most this many cells a side, block-averaged above (each cell ≥ 4 px up to it). */
export const EXPORT_MAX_CELLS = 512;

export interface SimilarityModel {
  /** Cells a side. */
  size: number;
  /** Neurons a cell stands for (along one side). */
  blockSize: number;
  /** Neurons shown along a side. */
  neurons: number;
  /** Bytes as HeatmapData.values, `size × size`. */
  cells: Uint8Array;
  /** Cell index where each cluster after the first starts. */
  boundaries: number[];
  activeOnly: boolean;
}

/** "Active neurons only" starts on when fewer than half of the neurons are active. */
export function activeOnlyByDefault(cluster: readonly number[]): boolean {
  return cluster.filter((c) => c >= 0).length * 2 < cluster.length;
}

/** Active neurons come first in heatmap order: the active block is the top-left rows × rows cells. */
function activeRows(h: HeatmapData, cluster: readonly number[]): number {
  const active = cluster.filter((c) => c >= 0).length;
  return Math.min(h.size, Math.ceil(active / h.blockSize));
}

export function similarityModel(
  h: HeatmapData,
  cluster: readonly number[],
  activeOnly: boolean,
  maxCells = Infinity,
): SimilarityModel {
  const bytes = heatmapBytes(h.values);
  const rows = activeOnly ? activeRows(h, cluster) : h.size;
  const shown = rows > 0 ? rows : h.size;
  const factor = Math.max(1, Math.ceil(shown / maxCells));
  const size = Math.ceil(shown / factor);
  const sums = new Float64Array(size * size);
  const counts = new Float64Array(size * size);
  for (let r = 0; r < shown; r++)
    for (let c = 0; c < shown; c++) {
      const cell = Math.floor(r / factor) * size + Math.floor(c / factor);
      sums[cell] += byteToSimilarity(bytes[r * h.size + c]);
      counts[cell]++;
    }
  const cells =
    factor === 1 && shown === h.size ? bytes : Uint8Array.from(sums, (s, i) => quantizeSimilarity(s / counts[i]));
  const boundaries = [...new Set(h.boundaries.filter((b) => b < shown).map((b) => Math.floor(b / factor)))];
  const neurons = rows > 0 && activeOnly ? cluster.filter((k) => k >= 0).length : h.order.length;
  return { size, blockSize: h.blockSize * factor, neurons, cells, boundaries, activeOnly: activeOnly && rows > 0 };
}
