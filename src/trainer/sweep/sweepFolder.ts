// A sweep folder: sweep.json and one run folder per grid point (docs/sweeps.md).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../core/formats/safetensorsWriter';
import type { SweepGrid } from './grid';

export type SchedulerName = 'local' | 'slurm';

/** sweep.json: what was swept and how it was run; the extension and `analyze` read the run folders. */
export interface SweepManifest {
  version: 1;
  preset: string;
  axes: Record<string, string[]>;
  points: { name: string; values: Record<string, string>; args: string[] }[];
  scheduler: SchedulerName;
  createdAt: string;
  /** The Slurm job id of the array, when submitted with sbatch. */
  jobId?: string;
}

export function sweepManifest(grid: SweepGrid, scheduler: SchedulerName, now = new Date()): SweepManifest {
  return {
    version: 1,
    preset: grid.preset,
    axes: grid.axes,
    points: grid.points.map(({ name, values, args }) => ({ name, values, args })),
    scheduler,
    createdAt: now.toISOString(),
  };
}

export function writeSweepManifest(dir: string, manifest: SweepManifest): string {
  mkdirSync(resolve(dir), { recursive: true });
  const path = join(resolve(dir), 'sweep.json');
  writeFileAtomic(path, JSON.stringify(manifest, null, 2) + '\n');
  return path;
}
