// One layer's docs/metrics.md figures: clusters, effective clusters, stable rank, orientation.
import type { LayerFigures } from '../protocol/figures';
import { type CancelCheck, neverCancelled } from './cancel';
import { greedyCover } from './clusters';
import { type LayerMemo, noMemo } from './coverCache';
import type { Kernels } from './kernels/kernels';
import { computeNeurons, type LayerWeights, type Neurons } from './neurons';
import type { AnalysisSettings } from '../protocol/settings';
import { topSpectrum } from './spectrum';

/** Everything the detail views need besides the heatmap. */
export interface LayerState {
  figures: LayerFigures;
  neurons: Neurons;
  /** Cluster per neuron, 0 = heaviest (mass descending, ties by creation order), −1 inactive. */
  clusterOf: Int32Array;
  /** Members of each cluster (same numbering), amplitude descending, ties by index. */
  members: number[][];
  /** θ_k per neuron, in (−π, π]. */
  theta: Float64Array;
}

/** atan2 in (−π, π]: atan2(−0, x<0) would give −π. */
function angle(y: number, x: number): number {
  const a = Math.atan2(y, x);
  return a === -Math.PI ? Math.PI : a;
}

/** Sign-fixes a vector so that its largest-magnitude component is positive. */
function signFixed(v: Float64Array): Float64Array {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[best])) best = i;
  return v[best] < 0 ? v.map((x) => -x) : v;
}

function orientations(kernels: Kernels, nr: Neurons, plane: Float64Array[]): Float64Array {
  const { count, inputDim: d } = nr;
  if (d <= 2) {
    const u = kernels.rows(
      nr.units,
      Int32Array.from({ length: count }, (_, k) => k),
    );
    if (d === 1) return Float64Array.from({ length: count }, (_, k) => (u[k] < 0 ? Math.PI : 0));
    return Float64Array.from({ length: count }, (_, k) => angle(u[2 * k + 1], u[2 * k]));
  }
  if (plane.length < 2) return new Float64Array(count);
  const [x, y] = plane.map((e) => kernels.times(nr.units, Float32Array.from(e)));
  return Float64Array.from({ length: count }, (_, k) => (nr.norms[k] > 0 ? angle(y[k], x[k]) : 0));
}

/** Rows A_k·u_k over the active k: the Gram of the unit directions weighted by A_k² (0 for the inactive). */
function spectrumOf(kernels: Kernels, nr: Neurons, memo: LayerMemo) {
  const weights = Float32Array.from(nr.amplitude, (a, k) => (nr.active[k] ? a * a : 0));
  const spectrum = memo.spectrum(() => topSpectrum(kernels, nr.units, weights));
  const frobenius = nr.activeOrder.reduce((sum, k) => sum + nr.amplitude[k] ** 2, 0);
  return { spectrum, stableRank: spectrum.values[0] > 0 ? frobenius / spectrum.values[0] : 0 };
}

const ZERO_FIGURES = { active: 0, clusters: 0, effectiveClusters: 0, stableRank: 0, largestCluster: 0 };

/**
 * Runs the metrics of one layer. `withOrientation` adds θ (it needs the top two singular vectors); `memo` holds a
 * cover and spectrum computed before for the same layer (a summary's, for its detail).
 * The caller releases `neurons.units` when done (the heatmap still needs them). NaN or infinite weights are refused.
 */
export async function layerState(
  kernels: Kernels,
  w: LayerWeights,
  s: AnalysisSettings,
  withOrientation: boolean,
  check: CancelCheck = neverCancelled,
  memo: LayerMemo = noMemo,
): Promise<LayerState> {
  const nr = await computeNeurons(kernels, w, s.includeBias, s.activeFraction);
  if ('nonFinite' in nr) throw new Error(`the layer has ${nr.nonFinite} NaN or infinite values`);
  return neuronState(kernels, nr, s, withOrientation, check, memo);
}

/** layerState of neurons already computed (their tensors may be gone: the kernels hold the directions). */
export function neuronState(
  kernels: Kernels,
  nr: Neurons,
  s: AnalysisSettings,
  withOrientation: boolean,
  check: CancelCheck = neverCancelled,
  memo: LayerMemo = noMemo,
): LayerState {
  try {
    return withNeurons(kernels, nr, s, withOrientation, check, memo);
  } catch (e) {
    kernels.release(nr.units); // cancelled: the caller never sees the state it would release
    throw e;
  }
}

function withNeurons(
  kernels: Kernels,
  nr: Neurons,
  s: AnalysisSettings,
  withOrientation: boolean,
  check: CancelCheck,
  memo: LayerMemo,
): LayerState {
  const base = { neurons: nr.count, inputDim: nr.inputDim };
  const order = nr.activeOrder;
  if (order.length === 0) {
    return {
      figures: { ...base, ...ZERO_FIGURES },
      neurons: nr,
      clusterOf: new Int32Array(nr.count).fill(-1),
      members: [],
      theta: new Float64Array(nr.count),
    };
  }
  const cover = memo.cover(() =>
    greedyCover(kernels, nr.units, order, s.threshold, s.similarity === 'absolute', check),
  );

  const groups: number[][] = cover.leaders.map(() => []);
  for (const [row, k] of order.entries()) groups[cover.clusterOfRow[row]].push(k);
  const mass = groups.map((g) => g.reduce((sum, k) => sum + nr.amplitude[k], 0));
  const byMass = [...groups.keys()].sort((a, b) => mass[b] - mass[a] || a - b);
  const members = byMass.map((c) => groups[c]);
  const clusterOf = new Int32Array(nr.count).fill(-1);
  members.forEach((g, c) => g.forEach((k) => (clusterOf[k] = c)));

  const total = mass.reduce((a, b) => a + b, 0);
  const entropy = mass.reduce((h, m) => (m > 0 ? h - (m / total) * Math.log(m / total) : h), 0);

  const { spectrum, stableRank } = spectrumOf(kernels, nr, memo);

  const theta = withOrientation
    ? orientations(kernels, nr, spectrum.vectors.map(signFixed))
    : new Float64Array(nr.count);
  return {
    figures: {
      ...base,
      active: order.length,
      clusters: members.length,
      effectiveClusters: Math.exp(entropy),
      stableRank,
      largestCluster: Math.max(...members.map((g) => g.length)),
    },
    neurons: nr,
    clusterOf,
    members,
    theta,
  };
}

/** The figures that need no cover (active count, stable rank); the cluster fields are 0. */
export function figuresWithoutClusters(kernels: Kernels, nr: Neurons, memo: LayerMemo = noMemo): LayerFigures {
  try {
    const active = nr.activeOrder.length;
    const stableRank = active > 0 ? spectrumOf(kernels, nr, memo).stableRank : 0;
    return { neurons: nr.count, inputDim: nr.inputDim, ...ZERO_FIGURES, active, stableRank };
  } finally {
    kernels.release(nr.units);
  }
}

/** θ_k and A_k per neuron without the cover (the ghost points of a detail: the run's first checkpoint). */
export function orientationOf(kernels: Kernels, nr: Neurons, memo: LayerMemo = noMemo) {
  try {
    if (nr.activeOrder.length === 0) return { theta: new Float64Array(nr.count), amplitude: nr.amplitude };
    const plane = spectrumOf(kernels, nr, memo).spectrum.vectors.map(signFixed);
    return { theta: orientations(kernels, nr, plane), amplitude: nr.amplitude };
  } finally {
    kernels.release(nr.units);
  }
}
