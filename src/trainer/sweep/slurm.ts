// Sweeps that outgrow one machine: a Slurm job array, one task per grid point, writing into the sweep folder.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { SweepPoint } from './grid';
import type { TrainCommand } from './localRunner';

export interface SlurmOptions {
  /** `--partition`; the cluster's default when absent. */
  partition?: string;
  /** `--time` as Slurm reads it (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS). */
  time?: string;
  /** At most this many tasks at once (`--array=0-N%K`); no limit when absent. */
  parallel?: number;
  jobName: string;
}

export class SlurmError extends Error {}

const TIME = /^(\d+-)?\d+(:\d+){0,2}$/;
const PARTITION = /^[\w.,-]+$/;

/** Single-quoted for bash: nothing inside is expanded. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The sbatch script: each array task runs `train` for its point, its log in the sweep folder. */
export function slurmScript(
  sweepDir: string,
  points: readonly SweepPoint[],
  command: TrainCommand,
  o: SlurmOptions,
): string {
  if (o.time !== undefined && !TIME.test(o.time))
    throw new SlurmError(`--time expects a Slurm time such as 30, 2:00:00 or 1-12, got '${o.time}'`);
  if (o.partition !== undefined && !PARTITION.test(o.partition))
    throw new SlurmError(`--partition expects a partition name, got '${o.partition}'`);
  const header = [
    '#!/bin/bash',
    `#SBATCH --job-name=${o.jobName.replace(/[^\w.-]+/g, '-')}`,
    `#SBATCH --array=0-${points.length - 1}${o.parallel ? `%${o.parallel}` : ''}`,
    `#SBATCH --output=${join(sweepDir, 'slurm-%A_%a.out')}`,
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=1',
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
  ];
  const cases = points.map((p, i) => {
    const { command: exe, args } = command([...p.args, '--progress', 'text']);
    return `  ${i}) exec ${[exe, ...args].map(shellQuote).join(' ')} ;;`;
  });
  return [
    ...header,
    '# Written by condensation-lens sweep --scheduler slurm: one task per grid point (sweep.json beside this file).',
    'set -euo pipefail',
    'case "${SLURM_ARRAY_TASK_ID:?run this script with sbatch}" in',
    ...cases,
    '  *) echo "no grid point for task $SLURM_ARRAY_TASK_ID" >&2; exit 2 ;;',
    'esac',
    '',
  ].join('\n');
}

/** Submits the script with `sbatch --parsable`; resolves to the job id. */
export function submitToSlurm(scriptPath: string, sbatch = 'sbatch'): Promise<string> {
  return new Promise((done, fail) => {
    execFile(sbatch, ['--parsable', scriptPath], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        const why =
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? `${sbatch} was not found on PATH`
            : stderr.trim() || error.message;
        fail(new SlurmError(`${scriptPath}: sbatch refused the job array: ${why}`));
        return;
      }
      done(stdout.trim().split(';')[0]);
    });
  });
}
