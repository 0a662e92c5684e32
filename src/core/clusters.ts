// The greedy cover of docs/metrics.md, without building the N×N similarity matrix: each round, one matrix
// product gives a block of candidate leaders against the still-unassigned rows, and the greedy order is then
// resolved inside the block exactly as one leader at a time would.
import { type CancelCheck, neverCancelled } from './cancel';
import type { Kernels, Mat } from './kernels/kernels';

export interface Clustering {
  /** Cluster of each covered row (by its position in `rows`), numbered in creation order. */
  clusterOfRow: Int32Array;
  /** Position in `rows` of each cluster's leader, in creation order. */
  leaders: number[];
}

/** Condensed layers need a handful of leaders: start small, double while most candidates turn out leaders. */
const FIRST_BLOCK = 8;
const MAX_BLOCK = 256;

/**
 * `rows` lists the rows of `units` to cover in cover order (the active neurons by amplitude descending, ties
 * by index). Each unassigned row in that order leads a cluster that takes every unassigned row j with
 * S(leader, j) ≥ threshold (|S| in absolute mode); the leader itself always joins.
 */
export function greedyCover(
  kernels: Kernels,
  units: Mat,
  rows: Int32Array,
  threshold: number,
  absolute: boolean,
  check: CancelCheck = neverCancelled,
): Clustering {
  const clusterOfRow = new Int32Array(rows.length).fill(-1);
  const leaders: number[] = [];
  /** Positions in `rows` still unassigned, in cover order. */
  let open = Int32Array.from(rows.keys());
  let block = FIRST_BLOCK;
  // Every round's products go into one buffer, grown when a round needs more.
  let scratch = new Float32Array(0);
  while (open.length > 0) {
    check();
    const candidates = open.subarray(0, Math.min(block, open.length));
    const m = open.length;
    if (scratch.length < candidates.length * m) scratch = new Float32Array(candidates.length * m);
    const products = kernels.rowProducts(
      units,
      candidates.map((p) => rows[p]),
      open.map((p) => rows[p]),
      scratch,
    );
    let led = 0;
    for (const [r, leader] of candidates.entries()) {
      // A candidate taken by an earlier leader of this block is not a leader: its row is discarded.
      if (clusterOfRow[leader] >= 0) continue;
      const c = leaders.length;
      leaders.push(leader);
      led++;
      clusterOfRow[leader] = c;
      for (let j = 0; j < m; j++) {
        if (clusterOfRow[open[j]] >= 0) continue;
        const s = products[r * m + j];
        if ((absolute ? Math.abs(s) : s) >= threshold) clusterOfRow[open[j]] = c;
      }
    }
    open = open.filter((row) => clusterOfRow[row] < 0);
    if (2 * led >= candidates.length) block = Math.min(block * 2, MAX_BLOCK);
  }
  return { clusterOfRow, leaders };
}
