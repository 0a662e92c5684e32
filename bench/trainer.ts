// Training speed of relu-1d (width 1000, full batch of 4 points, SGD) on every backend that loads here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRAINER_BACKENDS, type TrainerBackend } from '../src/trainer/options';
import { findPreset } from '../src/trainer/presets';
import type { ProgressReporter } from '../src/trainer/progress';
import { train } from '../src/trainer/train';

import { pythonWithTorch, pytorchStepsPerSecond } from './pytorch';

type TimedBackend = Exclude<TrainerBackend, 'auto'>;

/** User and system CPU time of this process, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Steps timed per backend: fused, native and wasm are fast, the plain-JS cpu backend is slower. */
const STEPS: Record<TimedBackend, number> = {
  fused: 50_000,
  'tensorflow-gpu': 5000,
  tensorflow: 5000,
  wasm: 3000,
  cpu: 1000,
};
/** Steps PyTorch is timed over. */
const TORCH_STEPS = 3000;
/** The fused kernel's goal against PyTorch on the same setup. */
const FUSED_GOAL = 10;

/**
 * Steps per second of this process's CPU time between the first and the last progress line (backend start-up
 * excluded): CPU time, unlike wall time, does not count the time other processes took the cores.
 */
async function stepsPerSecond(backend: TimedBackend): Promise<number> {
  const steps = STEPS[backend];
  const dir = mkdtempSync(join(tmpdir(), 'cl-bench-'));
  let startedAt = 0;
  let finishedAt = 0;
  const reporter: ProgressReporter = {
    emit: (line) => {
      if (line.type === 'started') startedAt = cpuMs();
      if (line.type === 'finished') finishedAt = cpuMs();
    },
    log: () => undefined,
  };
  try {
    // One checkpoint at the start and one at the end: the figure is the training loop itself.
    await train(
      {
        preset: 'relu-1d',
        config: { ...findPreset('relu-1d')!.config, steps, every: steps },
        out: join(dir, 'run'),
        backend,
        progress: 'json',
      },
      reporter,
      { requested: false },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return (steps * 1000) / (finishedAt - startedAt);
}

/** Every backend that loads, with its speed against the pure-JavaScript cpu backend and PyTorch of the same run. */
export async function benchTrainer(): Promise<void> {
  const label = 'trainer relu-1d (width 1000, SGD, full batch, per CPU second):';
  const backends = TRAINER_BACKENDS.filter((b): b is TimedBackend => b !== 'auto');
  const rates = new Map<string, number | string>();
  for (const backend of [...backends].reverse()) {
    rates.set(backend, await stepsPerSecond(backend).catch((e: Error) => e.message.split(':')[0]));
  }
  const baseline = rates.get('cpu');
  for (const backend of backends) {
    const rate = rates.get(backend);
    if (typeof rate === 'string') {
      console.log(`${label} ${backend.padEnd(14)} not available (${rate})`);
      continue;
    }
    const ratio = typeof baseline === 'number' ? `  ${(rate! / baseline).toFixed(1)}× the cpu baseline` : '';
    console.log(
      `${label} ${backend.padEnd(14)} ${rate!.toFixed(0).padStart(6)} steps/s (${STEPS[backend]} steps)${ratio}`,
    );
  }
  const python = pythonWithTorch();
  if (!python) {
    console.log(`${label} pytorch        not available (no python3 with torch: apt-get install python3-torch)`);
    return;
  }
  const torch = pytorchStepsPerSecond(python, TORCH_STEPS);
  const fused = rates.get('fused');
  const versus =
    typeof fused === 'number' ? `; fused is ${(fused / torch).toFixed(1)}× PyTorch (goal ≥ ${FUSED_GOAL}×)` : '';
  console.log(
    `${label} pytorch        ${torch.toFixed(0).padStart(6)} steps/s (${TORCH_STEPS} steps, ${python})${versus}`,
  );
}
