// The batched greedy cover against the docs/metrics.md definition run one leader at a time.
import assert from 'node:assert/strict';
import { engineBackend } from '../../../src/core/backend';
import { greedyCover } from '../../../src/core/clusters';
import { jsKernels } from '../../../src/core/kernels/jsKernels';
import type { Kernels, Mat } from '../../../src/core/kernels/kernels';
import { tfKernels } from '../../../src/core/kernels/tfKernels';
import { seededRandom } from '../formats/seededRandom';

/** The definition: the first unassigned row leads; every unassigned row with S ≥ τ joins; repeat. */
function oneLeaderAtATime(kernels: Kernels, units: Mat, rows: Int32Array, threshold: number, absolute: boolean) {
  const n = rows.length;
  const cluster = new Int32Array(n).fill(-1);
  let c = 0;
  for (let leader = 0; leader < n; leader++) {
    if (cluster[leader] >= 0) continue;
    const row = kernels.rowProducts(units, rows.subarray(leader, leader + 1), rows);
    cluster[leader] = c;
    for (let j = 0; j < n; j++)
      if (cluster[j] < 0 && (absolute ? Math.abs(row[j]) : row[j]) >= threshold) cluster[j] = c;
    c++;
  }
  return cluster;
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function unitRows(data: Float32Array, dim: number): Float32Array {
  for (let r = 0; r < data.length / dim; r++) {
    const row = data.subarray(r * dim, (r + 1) * dim);
    const norm = Math.hypot(...row);
    row.forEach((x, i) => (row[i] = x / norm));
  }
  return data;
}

/** Rows near `directions` planted directions (±, with noise), or plain random when `directions` is 0. */
function layer(seed: number, rows: number, dim: number, directions: number, noise: number): Float32Array {
  const rand = seededRandom(seed);
  const planted = Array.from({ length: directions }, () => Float32Array.from({ length: dim }, () => normal(rand)));
  const data = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const base = directions ? planted[Math.floor(rand() * directions)] : undefined;
    const sign = rand() < 0.3 ? -1 : 1;
    for (let i = 0; i < dim; i++) data[r * dim + i] = (base ? sign * base[i] : 0) + noise * normal(rand);
  }
  return unitRows(data, dim);
}

/** Rows that repeat exactly (ties: S = 1 between copies) mixed with random ones. */
function withDuplicates(seed: number, rows: number, dim: number): Float32Array {
  const data = layer(seed, rows, dim, 0, 1);
  const rand = seededRandom(seed + 1);
  for (let r = 1; r < rows; r++) {
    if (rand() < 0.5) data.copyWithin(r * dim, Math.floor(rand() * r) * dim, Math.floor(rand() * r) * dim + dim);
  }
  return data;
}

/** A cover order over part of the rows (like the active neurons by amplitude): a seeded shuffle of 90% of them. */
function coverOrder(seed: number, rows: number): Int32Array {
  const rand = seededRandom(seed);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.subarray(0, Math.ceil(0.9 * rows));
}

/** Thresholds exactly equal to similarities the kernels compute (so `≥` decides), plus the usual ones. */
function edgeThresholds(kernels: Kernels, units: Mat, rows: Int32Array): number[] {
  const row = kernels.rowProducts(units, rows.subarray(0, 1), rows);
  const sorted = [...row].sort((a, b) => b - a);
  return [0.95, 0.5, 0, sorted[1], sorted[Math.floor(row.length / 3)], sorted[Math.floor(row.length / 2)]];
}

const CASES: [string, Float32Array, number][] = [
  ['random 300×16', layer(1, 300, 16, 0, 1), 16],
  ['random 700×3 (many near neighbours)', layer(2, 700, 3, 0, 1), 3],
  ['planted 600×32, 5 directions', layer(3, 600, 32, 5, 0.1), 32],
  ['planted 1500×8, 40 directions', layer(4, 1500, 8, 40, 0.05), 8],
  ['duplicated rows 400×6', withDuplicates(5, 400, 6), 6],
];

for (const kernels of [jsKernels, tfKernels]) {
  describe(`greedy cover in blocks (${kernels.name} kernels) = one leader at a time`, () => {
    before(() => engineBackend());

    for (const [name, data, dim] of CASES) {
      it(name, () => {
        const units = kernels.upload(data, data.length / dim, dim);
        const rows = coverOrder(dim, units.rows);
        try {
          for (const threshold of edgeThresholds(kernels, units, rows)) {
            for (const absolute of [false, true]) {
              const want = oneLeaderAtATime(kernels, units, rows, threshold, absolute);
              const got = greedyCover(kernels, units, rows, threshold, absolute);
              assert.deepEqual([...got.clusterOfRow], [...want], `τ = ${threshold}, absolute ${absolute}`);
              const firstRows = [...new Set(want)].map((c) => want.indexOf(c));
              assert.deepEqual(got.leaders, firstRows);
            }
          }
        } finally {
          kernels.release(units);
        }
      });
    }
  });
}

describe('greedy cover cancellation', () => {
  it('stops between blocks when the check throws', () => {
    const units = jsKernels.upload(layer(6, 600, 4, 0, 1), 600, 4);
    let blocks = 0;
    const stop = new Error('stop');
    assert.throws(
      () =>
        greedyCover(
          jsKernels,
          units,
          Int32Array.from({ length: 600 }, (_, i) => i),
          0.999,
          false,
          () => {
            if (++blocks === 3) throw stop;
          },
        ),
      (e) => e === stop,
    );
    assert.equal(blocks, 3);
  });
});
