// Entry of dist/trainer.js, the process the extension spawns: `node dist/trainer.js <preset> [flags]`.
import { TrainOptionsError } from './options';
import { trainFromArgs } from './process';

trainFromArgs(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (!(e instanceof TrainOptionsError)) throw e;
    process.stderr.write(`error: ${e.message} (see --help)\n`);
    process.exitCode = 2;
  },
);
