// `condensation-lens train <preset> [flags]`: the trainer in the foreground (flags in trainer/options.ts).
import { TRAIN_USAGE, TrainOptionsError } from '../trainer/options';
import { trainFromArgs } from '../trainer/process';
import { UsageError, type Command } from './command';

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a preset experiment with TensorFlow.js and write a run folder',
  help: TRAIN_USAGE,
  async run(argv) {
    try {
      return await trainFromArgs(argv);
    } catch (e) {
      throw e instanceof TrainOptionsError ? new UsageError(e.message) : e;
    }
  },
};
