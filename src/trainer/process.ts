// One training run as a process: signals stop it cleanly, failures become a `failed` line.
import { BackendError } from '../core/backend';
import { TRAIN_USAGE, parseTrainArgs, type TrainOptions } from './options';
import { makeReporter } from './progress';
import { RunFolderError } from './runFolder';
import { train, type StopRequest, type TrainResult } from './train';

/** Problems the user can act on: reported in one line, without a stack trace. */
function isExpected(e: unknown): e is Error {
  return e instanceof BackendError || e instanceof RunFolderError || (e as NodeJS.ErrnoException)?.code !== undefined;
}

/**
 * Trains with progress on stdout/stderr. SIGTERM and SIGINT stop after the checkpoint being
 * written, with a final metrics line and a `finished` line (exit status 0). Native backends are
 * looked up in the working directory (the user's workspace) first.
 */
export async function runTrainingProcess(options: TrainOptions): Promise<{ status: number; result?: TrainResult }> {
  const reporter = makeReporter(options.progress, options.config.steps);
  const stop: StopRequest = { requested: false };
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stop.requested) reporter.log(`${signal}: stopping after the current step`);
    stop.requested = true;
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const result = await train(options, reporter, stop, [process.cwd()]);
    reporter.log(`run folder: ${result.dir}`);
    return { status: 0, result };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    reporter.emit({ type: 'failed', message });
    if (!isExpected(e)) reporter.log(String((e as Error)?.stack ?? e));
    return { status: 1 };
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** `train <preset> [flags]` for the CLI and dist/trainer.js; throws TrainOptionsError on bad flags. */
export async function trainFromArgs(argv: string[]): Promise<number> {
  const options = parseTrainArgs(argv);
  if (options === 'help') {
    process.stdout.write(TRAIN_USAGE + '\n');
    return 0;
  }
  return (await runTrainingProcess(options)).status;
}
