// The greedy cluster cover of docs/metrics.md, without building the N×N similarity matrix:
// similarity rows are computed in growing blocks of candidate leaders only.
import type { Kernels, Mat } from './kernels/kernels';

export interface Clustering {
  /** Cluster of each row of the direction matrix, in creation order. */
  clusterOfRow: Int32Array;
  /** Leader row of each cluster, in creation order. */
  leaders: number[];
}

const FIRST_BLOCK = 8;
const MAX_BLOCK = 256;

/**
 * `units` holds the active directions in cover order (amplitude descending, ties by index).
 * Each unassigned row in that order leads a cluster that takes every unassigned row j with
 * S(leader, j) ≥ threshold (|S| in absolute mode).
 */
export function greedyCover(kernels: Kernels, units: Mat, threshold: number, absolute: boolean): Clustering {
  const n = units.rows;
  const clusterOfRow = new Int32Array(n).fill(-1);
  const leaders: number[] = [];
  let cursor = 0;
  let block = FIRST_BLOCK;
  while (cursor < n) {
    const candidates: number[] = [];
    for (let i = cursor; i < n && candidates.length < block; i++) if (clusterOfRow[i] < 0) candidates.push(i);
    if (candidates.length === 0) break;
    const rows = kernels.rowProducts(units, Int32Array.from(candidates));
    for (const [r, leader] of candidates.entries()) {
      if (clusterOfRow[leader] >= 0) continue;
      const c = leaders.length;
      leaders.push(leader);
      clusterOfRow[leader] = c;
      for (let j = 0; j < n; j++) {
        if (clusterOfRow[j] >= 0) continue;
        const s = rows[r * n + j];
        if ((absolute ? Math.abs(s) : s) >= threshold) clusterOfRow[j] = c;
      }
    }
    cursor = candidates[candidates.length - 1] + 1;
    block = Math.min(block * 2, MAX_BLOCK);
  }
  return { clusterOfRow, leaders };
}
