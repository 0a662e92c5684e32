// Entry of dist/trainer.js, the process the extension spawns: `node dist/trainer.js <preset> [flags]`.
import { TRAIN_USAGE, TrainOptionsError, parseTrainArgs } from './options';
import { runTrainingProcess } from './process';

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseTrainArgs(argv);
  } catch (e) {
    if (!(e instanceof TrainOptionsError)) throw e;
    process.stderr.write(`error: ${e.message} (see --help)\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(TRAIN_USAGE + '\n');
    return 0;
  }
  return runTrainingProcess(options);
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
