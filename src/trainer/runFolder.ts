// A run folder as docs/formats.md describes it: run.json, metrics.jsonl, checkpoints/step-NNNNNN.safetensors.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic, writeSafetensors, type NamedTensor } from '../core/formats/safetensorsWriter';
import type { RunManifest } from '../protocol/runFolder';

/** One metrics.jsonl line. */
export interface MetricsRecord {
  step: number;
  epoch: number;
  loss: number;
}

/** Digits of the step in checkpoint file names (more digits are kept as they are). */
const STEP_DIGITS = 6;

export function checkpointName(step: number): string {
  return `checkpoints/step-${String(step).padStart(STEP_DIGITS, '0')}.safetensors`;
}

/** A user-facing problem with the output folder. */
export class RunFolderError extends Error {}

export class RunWriter {
  readonly dir: string;

  /** Creates the folder (and checkpoints/); refuses a folder that already holds checkpoints. */
  constructor(dir: string) {
    this.dir = resolve(dir);
    const checkpoints = join(this.dir, 'checkpoints');
    if (existsSync(checkpoints) && readdirSync(checkpoints).length > 0) {
      throw new RunFolderError(
        `${checkpoints}: already holds checkpoints of another run; choose a new folder with --out`,
      );
    }
    mkdirSync(checkpoints, { recursive: true });
  }

  /** Writes run.json; fields that others wrote there first (the editor's `script` and `process`) are kept. */
  writeManifest(manifest: RunManifest): void {
    const path = join(this.dir, 'run.json');
    let before: unknown;
    try {
      before = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      before = undefined; // none yet, or not JSON: written anew
    }
    const kept = before && typeof before === 'object' && !Array.isArray(before) ? before : {};
    writeFileAtomic(path, JSON.stringify({ ...kept, ...manifest }, null, 2) + '\n');
  }

  /** Writes a checkpoint atomically; returns its path relative to the run folder. */
  writeCheckpoint(step: number, tensors: readonly NamedTensor[], metadata: Record<string, string>): string {
    const name = checkpointName(step);
    writeSafetensors(join(this.dir, name), tensors, { ...metadata, step: String(step) });
    return name;
  }

  /** Appends one line in a single write, so a reader sees either nothing or the whole line. */
  appendMetrics(record: MetricsRecord): void {
    appendFileSync(join(this.dir, 'metrics.jsonl'), JSON.stringify(record) + '\n');
  }
}
