// Training speed of relu-1d (width 1000, full batch of 4 points, SGD) on every backend that loads here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKEND_CHOICES, type BackendChoice } from '../src/core/backend';
import { findPreset } from '../src/trainer/presets';
import type { ProgressReporter } from '../src/trainer/progress';
import { train } from '../src/trainer/train';

/** Steps timed per backend: native and wasm are fast, the plain-JS cpu backend is slower. */
const STEPS: Record<Exclude<BackendChoice, 'auto'>, number> = { 'tensorflow-gpu': 5000, tensorflow: 5000, wasm: 3000, cpu: 1000 };

/** Steps per second between the first and the last progress line (backend start-up excluded). */
async function stepsPerSecond(backend: Exclude<BackendChoice, 'auto'>): Promise<number> {
  const steps = STEPS[backend];
  const dir = mkdtempSync(join(tmpdir(), 'cl-bench-'));
  let startedAt = 0;
  let finishedAt = 0;
  const reporter: ProgressReporter = {
    emit: (line) => {
      if (line.type === 'started') startedAt = performance.now();
      if (line.type === 'finished') finishedAt = performance.now();
    },
    log: () => undefined,
  };
  try {
    // One checkpoint at the start and one at the end: the figure is the training loop itself.
    await train({ preset: 'relu-1d', config: { ...findPreset('relu-1d')!.config, steps, every: steps }, out: join(dir, 'run'), backend, progress: 'json' }, reporter, { requested: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return (steps * 1000) / (finishedAt - startedAt);
}

export async function benchTrainer(): Promise<void> {
  for (const backend of BACKEND_CHOICES.filter((b): b is Exclude<BackendChoice, 'auto'> => b !== 'auto')) {
    try {
      const rate = await stepsPerSecond(backend);
      console.log(`trainer relu-1d (width 1000, SGD, full batch): ${backend.padEnd(14)} ${rate.toFixed(0).padStart(6)} steps/s (${STEPS[backend]} steps)`);
    } catch (e) {
      console.log(`trainer relu-1d (width 1000, SGD, full batch): ${backend.padEnd(14)} not available (${(e as Error).message.split(':')[0]})`);
    }
  }
}
