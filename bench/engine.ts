// Full analysis of a synthetic condensed layer (metrics + heatmap matrix): TF.js kernels against
// the plain-TypeScript kernels, measured in the same run.
import { engineBackend } from '../src/core/backend';
import { similarityHeatmap } from '../src/core/heatmap';
import type { Kernels } from '../src/core/kernels/kernels';
import { jsKernels } from '../src/core/kernels/jsKernels';
import { tfKernels } from '../src/core/kernels/tfKernels';
import { layerState } from '../src/core/layerMetrics';
import type { LayerWeights } from '../src/core/neurons';
import { DEFAULT_SETTINGS } from '../src/protocol/settings';

const NEURONS = 2048;
const INPUTS = 512;
const DIRECTIONS = 6;
const REPEATS = 3;

/** mulberry32: a tiny seeded generator, so both kernels see the same layer every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Neurons near one of a few directions, scaled by random amplitudes: a condensed layer. */
export function condensedLayer(): LayerWeights {
  const rand = random(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const dirs = Array.from({ length: DIRECTIONS }, () => Float32Array.from({ length: INPUTS }, normal));
  const weight = new Float32Array(NEURONS * INPUTS);
  for (let k = 0; k < NEURONS; k++) {
    const d = dirs[k % DIRECTIONS];
    const scale = 0.1 + rand();
    for (let i = 0; i < INPUTS; i++) weight[k * INPUTS + i] = scale * (d[i] + 0.05 * normal());
  }
  return { weight, neurons: NEURONS };
}

function fullAnalysis(kernels: Kernels, layer: LayerWeights): number {
  const state = layerState(kernels, layer, DEFAULT_SETTINGS, true);
  similarityHeatmap(kernels, state, DEFAULT_SETTINGS.heatmapMaxNeurons, false);
  kernels.release(state.neurons.units);
  return state.figures.clusters;
}

function timeMs(kernels: Kernels, layer: LayerWeights): { ms: number; clusters: number } {
  fullAnalysis(kernels, layer); // warm-up: backend compilation, JIT
  let best = Infinity;
  let clusters = 0;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    clusters = fullAnalysis(kernels, layer);
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, clusters };
}

export async function benchEngine(): Promise<void> {
  const backend = await engineBackend();
  const layer = condensedLayer();
  const base = timeMs(jsKernels, layer);
  const fast = timeMs(tfKernels, layer);
  console.log(
    `engine: full analysis of a condensed ${NEURONS}×${INPUTS} layer (metrics + ${NEURONS}² heatmap), best of ${REPEATS}`,
  );
  console.log(`  plain TypeScript baseline  ${base.ms.toFixed(0).padStart(7)} ms   (${base.clusters} clusters)`);
  console.log(
    `  TF.js on ${backend.padEnd(17)} ${fast.ms.toFixed(0).padStart(7)} ms   (${fast.clusters} clusters)   ${(base.ms / fast.ms).toFixed(1)}× faster`,
  );
}
