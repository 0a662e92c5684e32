// Whole models: the summary of every non-embedding layer of a GPT-2-small-shaped checkpoint (ours, the CLI's whole
// process, next to the NumPy script reading the same file, also a whole process), and the peak memory of one
// 8192 × 8192 layer inside a 2.5 GB file. The checkpoints are written to a temporary folder and removed after.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayerSummary, RunReport } from '../src/protocol/report';
import { layerPlan, writeGpt2Small, writeLayerInLargeFile } from './bigCheckpoint';
import { numpy } from './engine';

const GPT2_GOAL_MS = 30_000;
const GPT2_GOAL_RATIO = 1.5;
const MEMORY_GOAL_BYTES = 700 * 2 ** 20;
/** The rule's allowance for the process itself: peak RSS ≤ 2× the layer's f32 size + this. */
const PROCESS_BASELINE_BYTES = 150 * 2 ** 20;
const LARGE = { neurons: 8192, inputs: 8192, fileBytes: 2.5e9 };

interface NumpyFigures {
  clusters: number;
  effective: number;
  largest: number;
  stableRank: number;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Preloaded into the child CLI: its peak RSS and CPU time (user + system, all threads) on stderr at exit. */
const USAGE_HOOK = `process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write('usage ' + u.maxRSS * 1024 + ' ' + (u.userCPUTime + u.systemCPUTime) / 1000 + '\\n');
});`;

interface ChildRun {
  layers: LayerSummary[];
  ms: number;
  cpuMs: number;
  peak: number;
}

/** The built CLI's `analyze … --json` as a child process: its layers, wall time, CPU time and peak RSS. */
function cli(dir: string, args: string[]): ChildRun {
  const hook = join(dir, 'usage.js');
  writeFileSync(hook, USAGE_HOOK);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', hook, join(__dirname, 'cli.js'), 'analyze', ...args, '--json'], {
    encoding: 'utf8',
    maxBuffer: 2 ** 28,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`analyze ${args.join(' ')} failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as RunReport;
  const [, peak, cpuMs] = /usage (\d+) ([\d.]+)/.exec(r.stderr) ?? [];
  return { layers: report.checkpoints[0].layers, ms, cpuMs: Number(cpuMs), peak: Number(peak) };
}

async function gpt2(dir: string): Promise<void> {
  const file = join(dir, 'gpt2-small.safetensors');
  const bytes = writeGpt2Small(file);
  const planFile = join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify({ file, layers: await layerPlan(file) }));
  const ours = cli(dir, [file]);
  console.log(`  GPT-2 small shape (12 blocks, d = 768, ${gb(bytes)}), every non-embedding layer's summary`);
  const within = ours.ms <= GPT2_GOAL_MS ? 'within' : 'over';
  console.log(
    `    ours  ${seconds(ours.ms).padStart(7)} (CPU ${seconds(ours.cpuMs)}) for ${ours.layers.length} layers, ` +
      `peak ${mb(ours.peak)} ` +
      `(${within} the ${seconds(GPT2_GOAL_MS)} goal)`,
  );
  const t0 = performance.now();
  const base = numpy<NumpyFigures[]>([`layers:${planFile}`], 1);
  const np = typeof base === 'string' ? undefined : base.usage;
  const ms = performance.now() - t0;
  if (typeof base === 'string') return console.log(`    ${base}; our figures alone`);
  const figures = Object.values(base.tasks)[0].clusters;
  const differ = ours.layers.filter((l, i) => l.clusters !== figures[i]?.clusters).map((l) => l.name);
  console.log(
    `    NumPy ${seconds(ms).padStart(7)} (CPU ${seconds(np!.cpuMs)}, BLAS '${base.blas}', whole process), ` +
      `peak ${mb(np!.peakRss)}   ` +
      `${(ours.ms / ms).toFixed(2)}× NumPy's time (goal ≤ ${GPT2_GOAL_RATIO}×)`,
  );
  console.log(
    differ.length === 0
      ? `    the same cluster counts in all ${figures.length} layers`
      : `    cluster counts differ in ${differ.length} of ${figures.length} layers: ${differ.join(', ')}`,
  );
}

function memory(dir: string): void {
  const { neurons, inputs, fileBytes } = LARGE;
  const file = join(dir, 'large.safetensors');
  const bytes = writeLayerInLargeFile(file, neurons, inputs, fileBytes);
  const layerBytes = 4 * neurons * (inputs + 1);
  const ours = cli(dir, [file, '--layer', 'fc1']);
  const within = (bound: number) => (ours.peak <= bound ? 'within' : 'over');
  const rule = 2 * layerBytes + PROCESS_BASELINE_BYTES;
  console.log(
    `  one ${neurons} × ${inputs} layer (${mb(layerBytes)} of f32) in a ${gb(bytes)} file, nothing condensed`,
  );
  console.log(
    `    peak RSS ${mb(ours.peak)} (${(ours.peak / layerBytes).toFixed(2)}× the layer; ${within(MEMORY_GOAL_BYTES)} ` +
      `the ${mb(MEMORY_GOAL_BYTES)} goal, ${within(rule)} 2× the layer + ${mb(PROCESS_BASELINE_BYTES)} = ` +
      `${mb(rule)}), summary in ${seconds(ours.ms)} (CPU ${seconds(ours.cpuMs)}), ${ours.layers[0].clusters} clusters`,
  );
}

const PARTS = ['gpt2', 'memory'];

/** `parts`: `gpt2` and/or `memory` (`npm run bench scale:gpt2`); every part when empty. */
export async function benchScale(parts: string[] = []): Promise<void> {
  const unknown = parts.filter((p) => !PARTS.includes(p));
  if (unknown.length) throw new Error(`unknown part ${unknown.join(', ')} of scale; its parts are ${PARTS.join(', ')}`);
  const run = (part: string) => parts.length === 0 || parts.includes(part);
  const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  console.log('scale: whole checkpoints through the CLI (a child process each)');
  try {
    if (run('gpt2')) {
      await gpt2(dir);
      rmSync(join(dir, 'gpt2-small.safetensors'));
    }
    if (run('memory')) memory(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
