// Entry of dist/trainer.js, the process the extension spawns: `node dist/trainer.js <preset> [flags]`.
import { TrainOptionsError } from './options';
import { presetListJson } from './presets';
import { trainFromArgs } from './process';

const argv = process.argv.slice(2);
// The extension asks the trainer for its presets, so the QuickPick never goes out of date.
const run =
  argv[0] === '--list-presets'
    ? Promise.resolve(process.stdout.write(presetListJson() + '\n')).then(() => 0)
    : trainFromArgs(argv);

run.then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (!(e instanceof TrainOptionsError)) throw e;
    process.stderr.write(`error: ${e.message} (see --help)\n`);
    process.exitCode = 2;
  },
);
