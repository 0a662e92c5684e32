// Shared by the trainer tests: run a preset in this process or as a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainerBackend } from '../../../src/trainer/options';
import { findPreset, type TrainConfig } from '../../../src/trainer/presets';
import type { ProgressReporter } from '../../../src/trainer/progress';
import { train, type TrainResult } from '../../../src/trainer/train';
import type { ProgressLine } from '../../../src/protocol/trainerProgress';

export const ROOT = join(__dirname, '..', '..', '..');

const created: string[] = [];

/** A fresh temporary folder, removed when the whole test run ends (a root-level hook). */
export function tempDir(prefix = 'cl-trainer-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

after(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Trains a preset with overrides in this process; collects the progress lines. */
export async function trainPreset(
  preset: string,
  overrides: Partial<TrainConfig>,
  backend: TrainerBackend = 'wasm',
  out = join(tempDir(), 'run'),
): Promise<TrainResult & { lines: ProgressLine[] }> {
  const found = findPreset(preset);
  if (!found) throw new Error(`no preset ${preset}`);
  const lines: ProgressLine[] = [];
  const reporter: ProgressReporter = { emit: (l) => lines.push(l), log: () => undefined };
  const result = await train(
    { preset, config: { ...found.config, ...overrides }, out, backend, progress: 'json' },
    reporter,
    { requested: false },
  );
  return { ...result, lines };
}

/** `node dist/trainer.js …` from the TypeScript source (through tsx, so no build is needed). */
export function spawnTrainer(args: string[]) {
  return spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src', 'trainer', 'main.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
