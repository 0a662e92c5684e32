// `condensation-lens sweep <preset> --gamma 0.25,0.5,1 …`: a grid of runs, here or as a Slurm job array.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { timestamp } from '../protocol/fileNames';
import { RUNS_FOLDER, TRAIN_USAGE } from '../trainer/options';
import { gridFlagOptions } from '../trainer/sweep/grid';
import { SlurmError, slurmScript, submitToSlurm } from '../trainer/sweep/slurm';
import { sweepManifest, writeSweepManifest } from '../trainer/sweep/sweepFolder';
import { parseCommandLine, UsageError, type Command } from './command';
import {
  gridFlagValues,
  gridOrUsageError,
  parallelOption,
  progressOption,
  runGridHere,
  selfTrainCommand,
} from './sweepRun';

const HELP = `usage: condensation-lens sweep <preset> [--FLAG a,b,…]… [--seeds K] [--parallel N] [--out DIR] [--progress P]
       [--scheduler local|slurm] [--partition P] [--time T] [--dry-run]

Trains every point of a grid: each flag of \`train\` may take a comma-separated list, and the points are
every combination (for example --gamma 0.25,0.5,1 --width 1000,4000 --dropout 0,0.1 is 12 runs). The
sweep folder holds sweep.json and one run folder per point, named by the values that vary
(gamma=0.5_width=1000). Sweeps train on the fused two-layer kernel unless --backend says otherwise.

  --seeds K          every point with seeds 0..K-1 (or list them: --seed 3,7)
  --parallel N       runs at once (default: the number of cores; with slurm, the array's task limit)
  --progress P       bar (default): one bar on stderr; json: JSON lines on stdout (docs/sweeps.md)
  --out DIR          sweep folder (default ${RUNS_FOLDER}/sweep-<preset>-<timestamp>)
  --scheduler S      local (default): run here; slurm: write sweep.sbatch, a job array with one task per
                     point, and submit it with sbatch. The tasks write into the sweep folder, which must
                     be on a file system the cluster's nodes share; watch it like any run folder.
  --partition P      slurm: the partition (default: the cluster's)
  --time T           slurm: the time limit of each task (30, 2:00:00, 1-12, …)
  --dry-run          slurm: print the script, submit nothing, write nothing

The flags of train (each may be a list):
${TRAIN_USAGE.split('\n')
  .filter((l) => l.startsWith('  --') && !/^ {2}--(out|progress)\b/.test(l))
  .join('\n')}`;

const OPTIONS = {
  ...gridFlagOptions(),
  seeds: { type: 'string' },
  parallel: { type: 'string' },
  progress: { type: 'string' },
  out: { type: 'string' },
  scheduler: { type: 'string' },
  partition: { type: 'string' },
  time: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

function seedsOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--seeds expects a whole number ≥ 1, got '${raw}'`);
  return n;
}

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'train a grid of runs (lists of flag values), here or as a Slurm job array',
  help: HELP,
  async run(argv) {
    const { values: v, positionals } = parseCommandLine(argv, OPTIONS);
    if (positionals.length !== 1) throw new UsageError(`expected one preset name, got ${positionals.length}`);
    const scheduler = v.scheduler ?? 'local';
    if (scheduler !== 'local' && scheduler !== 'slurm')
      throw new UsageError(`--scheduler expects local or slurm, got '${scheduler}'`);
    if (scheduler === 'local' && (v.partition || v.time || v['dry-run']))
      throw new UsageError('--partition, --time and --dry-run go with --scheduler slurm');
    const preset = positionals[0];
    const dir = resolve(v.out ?? join(RUNS_FOLDER, `sweep-${preset}-${timestamp(new Date())}`));
    const flags = gridFlagValues(v);
    const grid = gridOrUsageError(preset, flags, seedsOption(v.seeds), dir);
    const parallel = v.parallel === undefined && scheduler === 'slurm' ? undefined : parallelOption(v.parallel);
    const progress = progressOption(v.progress);

    if (scheduler === 'slurm') {
      let script: string;
      try {
        script = slurmScript(dir, grid.points, selfTrainCommand, {
          partition: v.partition,
          time: v.time,
          parallel,
          jobName: `sweep-${preset}`,
        });
      } catch (e) {
        throw e instanceof SlurmError ? new UsageError(e.message) : e;
      }
      if (v['dry-run']) {
        process.stdout.write(script);
        return 0;
      }
      const manifest = sweepManifest(grid, 'slurm');
      writeSweepManifest(dir, manifest);
      const scriptPath = join(dir, 'sweep.sbatch');
      writeFileSync(scriptPath, script, { mode: 0o755 });
      try {
        manifest.jobId = await submitToSlurm(scriptPath);
      } catch (e) {
        if (!(e instanceof SlurmError)) throw e;
        process.stderr.write(`condensation-lens sweep: ${e.message}\n`);
        return 1;
      }
      writeSweepManifest(dir, manifest);
      process.stdout.write(`submitted job array ${manifest.jobId} (${grid.points.length} tasks) into ${dir}\n`);
      return 0;
    }

    writeSweepManifest(dir, sweepManifest(grid, 'local'));
    process.stderr.write(`sweep: ${grid.points.length} runs of ${preset} into ${dir}, ${parallel} at a time\n`);
    const outcomes = await runGridHere(grid, dir, parallel!, progress);
    for (const o of outcomes) if (o.error) process.stderr.write(`${o.name}: ${o.error}\n`);
    const failed = outcomes.filter((o) => o.error).length;
    process.stdout.write(`${dir}\n`);
    return failed === 0 ? 0 : 1;
  },
};
