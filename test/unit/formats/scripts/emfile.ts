// Child process of the EMFILE test: uses up every file descriptor, then opens a checkpoint and prints the error.
import { openSync } from 'fs';
import { type CheckpointError, openCheckpoint } from '../../../../src/core/formats';

async function main(path: string): Promise<void> {
  // Once first, so that every module the reader loads lazily is loaded while descriptors are left.
  await (await openCheckpoint(path)).close();
  await openCheckpoint('/nonexistent').catch(() => undefined);
  const held: number[] = [];
  for (;;) {
    try {
      held.push(openSync('/dev/null', 'r'));
    } catch {
      break;
    }
  }
  const outcome = await openCheckpoint(path).then(
    () => ({ opened: true }),
    (err: CheckpointError) => ({ message: err.message, maybeIncomplete: err.maybeIncomplete }),
  );
  process.stdout.write(JSON.stringify(outcome) + '\n');
}

void main(process.argv[2]);
