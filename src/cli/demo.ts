// `condensation-lens demo` (`npm start`): trains tanh-5d and shows, with the engine's figures,
// the neurons condensing to 2 directions and then growing more.
import { join } from 'node:path';
import { analyzeRun } from '../core/analyze';
import type { CheckpointReport, RunReport } from '../protocol/report';
import { TRAIN_USAGE, TrainOptionsError, parseTrainArgs } from '../trainer/options';
import { runTrainingProcess } from '../trainer/process';
import { UsageError, type Command } from './command';
import { reportCommand } from './report';
import { formatTable } from './table';

const DEMO_PRESET = 'tanh-5d';
/** The table shows a checkpoint every this many steps (all of them: `analyze <run>`). */
const TABLE_EVERY_STEPS = 10;

const HELP = `usage: condensation-lens demo [train flags]

Trains the ${DEMO_PRESET} preset (a few seconds), then prints the engine's clusters, effective
clusters and loss per checkpoint: the hidden layer condenses to 2 directions, then grows.
Takes the flags of \`train\` (--backend, --out, --seed, …):

${TRAIN_USAGE.split('\n')
  .filter((l) => l.startsWith('  --'))
  .join('\n')}`;

function hiddenLayer(c: CheckpointReport) {
  return c.layers.find((l) => l.name === 'fc1');
}

function summaryTable(report: RunReport): string {
  const rows = report.checkpoints
    .filter((c) => c.step !== null && (c.step % TABLE_EVERY_STEPS === 0 || c === report.checkpoints.at(-1)))
    .map((c) => {
      const l = hiddenLayer(c);
      return [
        String(c.step),
        l ? String(l.clusters) : '-',
        l ? l.effectiveClusters.toFixed(2) : '-',
        l ? String(l.largestCluster) : '-',
        c.loss === null ? '-' : c.loss.toPrecision(4),
      ];
    });
  return formatTable(['step', 'clusters', 'effective', 'largest', 'loss'], rows, [0, 1, 2, 3, 4]);
}

/** One sentence on the run: clusters at the start, the fewest and when, and at the end. */
function story(report: RunReport): string {
  const points = report.checkpoints.flatMap((c) => {
    const l = hiddenLayer(c);
    return l && c.step !== null ? [{ step: c.step, clusters: l.clusters }] : [];
  });
  if (points.length === 0) return 'no checkpoint could be analysed';
  const fewest = points.reduce((a, b) => (b.clusters < a.clusters ? b : a));
  const first = points[0];
  const last = points[points.length - 1];
  return `fc1 (${hiddenLayer(report.checkpoints[0])?.neurons ?? '?'} neurons): ${first.clusters} clusters at step ${first.step} → ${fewest.clusters} at step ${fewest.step} (initial condensation) → ${last.clusters} at step ${last.step}`;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: `train ${DEMO_PRESET} for a few seconds and show its neurons condense (npm start)`,
  help: HELP,
  async run(argv) {
    let options;
    try {
      options = parseTrainArgs([DEMO_PRESET, ...argv]);
    } catch (e) {
      throw e instanceof TrainOptionsError ? new UsageError(e.message) : e;
    }
    if (options === 'help') {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    const { status, result } = await runTrainingProcess(options);
    if (!result) return status;
    const report = await analyzeRun(result.dir);
    process.stdout.write(`\n${summaryTable(report)}\n\n${story(report)}\n\n`);
    process.stdout.write(`run folder: ${result.dir} (every checkpoint: condensation-lens analyze ${result.dir})\n`);
    const reportStatus = await reportCommand.run([result.dir, '-o', join(result.dir, 'report.html')]);
    if (reportStatus === 0)
      process.stdout.write(
        'HTML report: open it in any browser, offline (condensation-lens report <run> -o FILE makes one for any run)\n',
      );
    return status || reportStatus;
  },
};
