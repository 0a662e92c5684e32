// FIFOs, devices and folders given as files are refused before they are opened: nothing blocks on a FIFO;
// errors opening a file say what they are.
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { openCheckpoint } from '../../../src/core/formats';
import { readTextCapped } from '../../../src/core/formats/fileAccess';
import { readMetricsJsonl, readRunManifest } from '../../../src/core/run';
import { fixturePath } from '../helpers/fixtures';
import { useTempDir } from '../helpers/tempDir';
import { expectCheckpointError } from './checkpointAssertions';

describe('formats: special files are refused, never opened blocking', function () {
  // A FIFO opened for reading without O_NONBLOCK waits for a writer for ever: the timeout turns that into a failure.
  this.timeout(10_000);
  const temp = useTempDir();
  const fifo = () => {
    const path = temp(`fifo-${Math.random().toString(36).slice(2)}.safetensors`);
    execFileSync('mkfifo', [path]);
    return path;
  };

  it('a FIFO given as a checkpoint', async () => {
    const path = fifo();
    await expectCheckpointError(openCheckpoint(path), path, { message: /is a FIFO \(named pipe\), not a file/ });
  });

  it('a FIFO reached through a symlink', async () => {
    const link = temp('link.pt');
    symlinkSync(fifo(), link);
    await expectCheckpointError(openCheckpoint(link), link, { message: /is a FIFO/ });
  });

  it('a character device (/dev/zero) given as a checkpoint', async () => {
    await expectCheckpointError(openCheckpoint('/dev/zero'), '/dev/zero', { message: /is a device, not a file/ });
  });

  it('a FIFO used as a TF.js weight file', async () => {
    const dir = temp('tfjs-fifo');
    mkdirSync(dir);
    execFileSync('mkfifo', [`${dir}/weights.bin`]);
    const manifest = [{ paths: ['weights.bin'], weights: [{ name: 'd/kernel', shape: [2, 2], dtype: 'float32' }] }];
    writeFileSync(`${dir}/model.json`, JSON.stringify({ modelTopology: {}, weightsManifest: manifest }));
    const error = await expectCheckpointError(openCheckpoint(`${dir}/model.json`), `${dir}/model.json`, {
      message: /weight file "weights\.bin": is a FIFO \(named pipe\), not a file; it is not read$/,
      maybeIncomplete: false,
    });
    assert.doesNotMatch(error.message, /still being written/);
  });

  it('metrics.jsonl and run.json as FIFOs, or linked to /dev/zero, read as empty', async () => {
    const dir = temp('run-fifo');
    mkdirSync(dir);
    execFileSync('mkfifo', [`${dir}/metrics.jsonl`]);
    symlinkSync('/dev/zero', `${dir}/run.json`);
    assert.deepEqual(await readMetricsJsonl(dir), []);
    assert.equal(await readRunManifest(dir), undefined);
    await assert.rejects(readTextCapped(`${dir}/run.json`, 1024), /is a device, not a file/);
  });

  it('a side file larger than its cap is read from its tail (the newest records)', async () => {
    const path = temp('big.jsonl');
    writeFileSync(path, '{"step":1,"loss":1}\n{"step":2,"loss":0.5}\n');
    assert.equal(await readTextCapped(path, 23), '\n{"step":2,"loss":0.5}\n');
  });
});

describe('formats: too many open files is said as itself, not as a file still being written', () => {
  it('EMFILE in a child process whose descriptors are used up (ulimit -n 256)', () => {
    const script = join(__dirname, 'scripts', 'emfile.ts');
    const fixture = fixturePath('pytorch/state_dict.pt');
    const output = execFileSync(
      'sh',
      ['-c', `ulimit -n 256 && exec "$0" -r tsx/cjs "$1" "$2"`, process.execPath, script, fixture],
      {
        encoding: 'utf8',
      },
    );
    const outcome = JSON.parse(output);
    assert.match(
      outcome.message,
      /: cannot open the file \(too many open files in this process \(EMFILE\); close some/,
    );
    assert.doesNotMatch(outcome.message, /still being written/);
    assert.equal(outcome.maybeIncomplete, false);
  });
});
