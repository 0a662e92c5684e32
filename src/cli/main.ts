#!/usr/bin/env node
// condensation-lens: the engine's command-line front door.
import { type Command, UsageError } from './command';
import { analyzeCommand } from './analyze';
import { demoCommand } from './demo';
import { figureCommand } from './figure';
import { presetsCommand } from './presets';
import { reportCommand } from './report';
import { phaseCommand } from './phase';
import { sweepCommand } from './sweep';
import { trainCommand } from './train';

const COMMANDS: readonly Command[] = [
  analyzeCommand,
  trainCommand,
  sweepCommand,
  phaseCommand,
  presetsCommand,
  reportCommand,
  figureCommand,
  demoCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: condensation-lens <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'condensation-lens <command> --help' for a command's options.",
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`condensation-lens: unknown command '${name}'\n\n${overview()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(
        `condensation-lens ${name}: ${e.message}\nRun 'condensation-lens ${name} --help' for usage.\n`,
      );
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`condensation-lens: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
