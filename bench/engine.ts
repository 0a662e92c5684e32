// The engine on real-scale layers, each figure next to a NumPy script doing the same work on the same file
// (bench/engine_numpy.py: Gram through BLAS, the greedy cover on its rows), measured in the same run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeLayerFile, layerDetail } from '../src/core/analyze';
import { engineBackend } from '../src/core/backend';
import { writeSafetensors } from '../src/core/formats/safetensorsWriter';
import { DEFAULT_SETTINGS } from '../src/protocol/settings';

const REPEATS = 2;
/** Debian's python3 first: it has numpy (the one first on PATH may not). */
const PYTHONS = ['/usr/bin/python3', 'python3'];

type Work = 'full' | 'summary' | 'detail';

interface Task {
  work: Work;
  label: string;
  neurons: number;
  inputs: number;
  /** Planted directions the neurons lie near; 0: random, nothing condensed. */
  directions: number;
}

const TASKS: Task[] = [
  { work: 'full', label: 'full analysis (summary + 2048² heatmap)', neurons: 2048, inputs: 512, directions: 6 },
  { work: 'summary', label: 'summary, nothing condensed', neurons: 4096, inputs: 4096, directions: 0 },
  { work: 'detail', label: 'detail (orientation + heatmap at 2048)', neurons: 10_000, inputs: 768, directions: 16 },
];

/** mulberry32: a tiny seeded generator, so every run sees the same layers. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Neurons near one of a few directions scaled by random amplitudes (condensed), or plain Gaussian. */
function layer({ neurons, inputs, directions }: Pick<Task, 'neurons' | 'inputs' | 'directions'>): Float32Array {
  const rand = random(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const dirs = Array.from({ length: directions }, () => Float32Array.from({ length: inputs }, normal));
  const weight = new Float32Array(neurons * inputs);
  for (let k = 0; k < neurons; k++) {
    const d = dirs[k % directions];
    const scale = d ? 0.1 + rand() : 1;
    for (let i = 0; i < inputs; i++) weight[k * inputs + i] = scale * ((d ? d[i] : 0) + (d ? 0.05 : 1) * normal());
  }
  return weight;
}

/** A condensed layer (6 directions) of this size, for the other benches. */
export function condensedLayerOf(neurons: number, inputs: number): { weight: Float32Array; neurons: number } {
  return { weight: layer({ neurons, inputs, directions: 6 }), neurons };
}

async function ours(work: Work, file: string): Promise<number> {
  const summary = work === 'detail' ? undefined : await analyzeLayerFile(file, 'fc1', DEFAULT_SETTINGS);
  if (work === 'summary') return summary!.clusters;
  const detail = await layerDetail(file, 'fc1', DEFAULT_SETTINGS);
  return new Set(detail.cluster.filter((c) => c >= 0)).size;
}

async function best(work: Work, file: string): Promise<{ ms: number; clusters: number }> {
  let ms = Infinity;
  let clusters = 0;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    clusters = await ours(work, file);
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, clusters };
}

export interface NumpyRun<Figures = number> {
  blas: string;
  /** The script's whole process: CPU time (user + system, all BLAS threads) and peak RSS. */
  usage: { cpuMs: number; peakRss: number };
  tasks: Record<string, { ms: number; clusters: Figures }>;
}

/** The NumPy script's figures for every task, best of `repeats`, or why not when no Python here has numpy. */
export function numpy<Figures = number>(args: string[], repeats = REPEATS): NumpyRun<Figures> | string {
  const script = join(__dirname, '..', 'bench', 'engine_numpy.py');
  for (const python of PYTHONS) {
    try {
      execFileSync(python, ['-c', 'import numpy'], { stdio: 'ignore', timeout: 60_000 });
    } catch {
      continue; // not there, or no numpy: try the next
    }
    const out = execFileSync(python, [script, String(repeats), ...args], { encoding: 'utf8', maxBuffer: 2 ** 26 });
    return JSON.parse(out) as NumpyRun<Figures>;
  }
  return `no Python with numpy (tried ${PYTHONS.join(', ')}): install python3-numpy for the baseline`;
}

export async function benchEngine(): Promise<void> {
  const backend = await engineBackend();
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  try {
    const files = TASKS.map((t, i) => {
      const file = join(dir, `layer${i}.safetensors`);
      writeSafetensors(file, [{ name: 'fc1.weight', shape: [t.neurons, t.inputs], data: layer(t) }]);
      return file;
    });
    const args = TASKS.map((t, i) => `${t.work}:${files[i]}`);
    const base = numpy(args);
    await ours('summary', files[0]); // warm-up: backend compilation, JIT
    console.log(`engine: one layer per task, best of ${REPEATS}, TF.js on ${backend}`);
    if (typeof base === 'string') console.log(`  ${base}; our figures alone`);
    else console.log(`  NumPy baseline on BLAS '${base.blas}'`);
    for (const [i, t] of TASKS.entries()) {
      const got = await best(t.work, files[i]);
      const shape = `${t.neurons}×${t.inputs}${t.directions ? `, ${t.directions} directions` : ''}`;
      const np = typeof base === 'string' ? undefined : base.tasks[args[i]];
      const vs = np ? `   NumPy ${np.ms.toFixed(0).padStart(7)} ms   ${(got.ms / np.ms).toFixed(2)}× NumPy's time` : '';
      console.log(`  ${t.label} of ${shape}`);
      console.log(`    ours ${got.ms.toFixed(0).padStart(7)} ms (${got.clusters} clusters)${vs}`);
      if (np && np.clusters !== got.clusters) console.log(`    (NumPy found ${np.clusters} clusters)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
