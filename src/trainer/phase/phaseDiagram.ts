// The JMLR 2021 phase diagram (Luo, Xu, Ma, Zhang): how far the input weights travel, as a power of the width.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openCheckpoint } from '../../core/formats';

export type Regime = 'linear' | 'critical' | 'condensed';

/** Default ε of the classification: |S_w| ≤ ε is critical. */
export const DEFAULT_EPSILON = 0.1;

/** S_w < −ε: the weights barely move as m grows (linear); S_w > ε: they move more and more (condensed). */
export function classifyRegime(slope: number, epsilon = DEFAULT_EPSILON): Regime {
  if (slope < -epsilon) return 'linear';
  return slope > epsilon ? 'condensed' : 'critical';
}

/** The paper's boundary: γ = 1 for γ′ ≤ 0, and γ′ = γ − 1 for γ′ > 0 (on the line: critical). */
export function paperRegime(gamma: number, gammaPrime: number): Regime {
  const boundary = gammaPrime <= 0 ? 1 : gammaPrime + 1;
  if (gamma === boundary) return 'critical';
  return gamma < boundary ? 'linear' : 'condensed';
}

/** The least-squares slope of y against x. */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** S_w: the slope of log RD(θ_w) against log m. */
export function widthSlope(widths: readonly number[], rd: readonly number[]): number {
  return leastSquaresSlope(widths.map(Math.log), rd.map(Math.log));
}

/** The checkpoints the trainer wrote (`step-N.safetensors`), in step order. */
async function trainerCheckpoints(runDir: string): Promise<string[]> {
  const folder = join(runDir, 'checkpoints');
  const names = (await readdir(folder)).filter((n) => /^step-\d+\.safetensors$/.test(n));
  const step = (n: string) => Number(/\d+/.exec(n)![0]);
  return names.sort((a, b) => step(a) - step(b)).map((n) => join(folder, n));
}

async function inputWeights(path: string): Promise<Float32Array[]> {
  const ckpt = await openCheckpoint(path);
  try {
    return [await ckpt.read('fc1.weight'), await ckpt.read('fc1.bias')];
  } finally {
    await ckpt.close();
  }
}

/** RD(θ_w) = ‖θ_w(end) − θ_w(0)‖ / ‖θ_w(0)‖ over the hidden layer's weights and biases (JMLR 2021 eq. 16). */
export async function inputWeightDistance(runDir: string): Promise<number> {
  const paths = await trainerCheckpoints(runDir);
  if (paths.length < 2) throw new Error(`${runDir}: needs a first and a last checkpoint, found ${paths.length}`);
  const [start, end] = [await inputWeights(paths[0]), await inputWeights(paths[paths.length - 1])];
  let moved = 0;
  let size = 0;
  start.forEach((t0, k) => {
    for (let i = 0; i < t0.length; i++) {
      moved += (end[k][i] - t0[i]) ** 2;
      size += t0[i] ** 2;
    }
  });
  return Math.sqrt(moved / size);
}
