// The training sets of the presets: small, full-batch, and generated from the run's seed.
import type { DatasetName } from './presets';
import { Random, STREAMS } from './random';

export interface Dataset {
  /** Row-major [count, inputDim]. */
  readonly x: Float32Array;
  /** [count]. */
  readonly y: Float32Array;
  readonly count: number;
  readonly inputDim: number;
}

const relu = (v: number): number => Math.max(v, 0);

/** Builds a dataset from input rows and a target function (evaluated in double precision). */
function fromRows(rows: number[][], target: (x: number[]) => number): Dataset {
  const inputDim = rows[0].length;
  return {
    x: Float32Array.from(rows.flat()),
    y: Float32Array.from(rows.map(target)),
    count: rows.length,
    inputDim,
  };
}

/** x = linspace(−1, 1, 4) (as k/3, so that ±1/3 are exact), y = 0.2·ReLU(x − 1/3) + 0.2·ReLU(−x − 1/3) (JMLR 2021). */
function relu1d(): Dataset {
  const rows = [-3, -1, 1, 3].map((k) => [k / 3]);
  return fromRows(rows, ([x]) => 0.2 * relu(x - 1 / 3) + 0.2 * relu(-x - 1 / 3));
}

/** x on the grid {−1, 0, 1}², y = 0.2·ReLU(x₁ − 1/3) + 0.2·ReLU(−x₂ − 1/3). */
function relu2d(): Dataset {
  const rows: number[][] = [];
  for (const a of [-1, 0, 1]) for (const b of [-1, 0, 1]) rows.push([a, b]);
  return fromRows(rows, ([a, b]) => 0.2 * relu(a - 1 / 3) + 0.2 * relu(-b - 1 / 3));
}

/** 80 points x ~ U[−4, 2]^5 from the seed's data stream, y = Σ_k 3.5·sin(5·x_k + 1). */
function sin5d(seed: number): Dataset {
  const random = new Random(seed, STREAMS.data);
  const rows: number[][] = [];
  for (let i = 0; i < 80; i++) rows.push(Array.from({ length: 5 }, () => Math.fround(-4 + 6 * random.uniform())));
  return fromRows(rows, (x) => x.reduce((s, v) => s + 3.5 * Math.sin(5 * v + 1), 0));
}

export function makeDataset(name: DatasetName, seed: number): Dataset {
  switch (name) {
    case 'relu-1d':
      return relu1d();
    case 'relu-2d':
      return relu2d();
    case 'sin-5d':
      return sin5d(seed);
  }
}
