// `condensation-lens presets`: the built-in experiments, one line each.
import { PRESETS } from '../trainer/presets';
import { parseCommandLine, type Command } from './command';

export const presetsCommand: Command = {
  name: 'presets',
  summary: 'list the preset experiments that `train` runs',
  help: 'usage: condensation-lens presets\n\nLists the preset experiments, one line each. Train one with `condensation-lens train <preset>`.',
  async run(argv) {
    const { values } = parseCommandLine(argv, {});
    if (values.help) {
      process.stdout.write(this.help + '\n');
      return 0;
    }
    const width = Math.max(...PRESETS.map((p) => p.name.length));
    for (const p of PRESETS) process.stdout.write(`${p.name.padEnd(width)}  ${p.summary}\n`);
    return 0;
  },
};
