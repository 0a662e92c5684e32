// Training speed of relu-1d (width 1000, full batch of 4 points, SGD) on every backend that loads here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKEND_CHOICES, type BackendChoice } from '../src/core/backend';
import { findPreset } from '../src/trainer/presets';
import type { ProgressReporter } from '../src/trainer/progress';
import { train } from '../src/trainer/train';

/** Steps timed per backend: native and wasm are fast, the plain-JS cpu backend is slower. */
const STEPS: Record<Exclude<BackendChoice, 'auto'>, number> = {
  'tensorflow-gpu': 5000,
  tensorflow: 5000,
  wasm: 3000,
  cpu: 1000,
};

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

/** Every backend that loads, with its speed against the pure-JavaScript cpu backend of the same run. */
export async function benchTrainer(): Promise<void> {
  const label = 'trainer relu-1d (width 1000, SGD, full batch):';
  const backends = BACKEND_CHOICES.filter((b): b is Exclude<BackendChoice, 'auto'> => b !== 'auto');
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
}
